package dev.theta.tasks.clip;

import dev.theta.api.data.InMemoryDataset;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Dataset;
import dev.theta.api.tensor.Tensor;

/**
 * Image-caption pairs: features [n, pixels + maxTokens] (the image, then its caption's token ids as floats), targets
 * the class indices; {@link #captions} says how captions become ids, for zero-shot prompts and export.
 */
public record ImageTextDataset(InMemoryDataset data, int pixels, ImageTextCaptions captions) implements Dataset {
    @Override
    public DataSpec spec() {
        return data.spec();
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public Tensor features() {
        return data.features();
    }

    @Override
    public Tensor targets() {
        return data.targets();
    }

    @Override
    public String source() {
        return data.source();
    }
}
