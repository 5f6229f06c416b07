package dev.theta.tasks.clip;

import dev.theta.datasets.IdxDatasetProvider;
import dev.theta.api.data.InMemoryDataset;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionException;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.DataException;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.api.tensor.Shape;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fashion-MNIST images paired with captions made from templates and per-class synonyms ({@link ImageTextCaptions}).
 * Each image gets one caption, drawn with {@code new Random(seed)} in file order: a template of the chosen set, then
 * a synonym of its class. Features are float32 [784 + max-length]: the pixels scaled to [0, 1], then the caption's
 * token ids as floats (exact: the vocabulary is small), padded with 0. Targets are the class indices.
 */
public final class ImageTextDatasetProvider implements DatasetProvider {
    private static final OptionSchema OPTIONS = OptionSchema.of(
            Option.string("images", null, "IDX image file (Fashion-MNIST, raw or gzip), relative to the config's directory"),
            Option.string("labels", null, "IDX label file (Fashion-MNIST, raw or gzip), relative to the config's directory"),
            Option.choice("templates", "train", List.of("train", "held-out"),
                    "caption templates: train (for the training split) or held-out (test captions, never seen in training)"),
            Option.integer("max-length", 12, Range.atLeast(1), "tokens per caption; shorter captions are padded"),
            Option.integer("seed", 0, Range.ANY, "seed of the caption choice (template and synonym per image)"),
            Option.integer("limit", 0, Range.NON_NEGATIVE, "read only the first this many examples; 0 reads all"));

    @Override
    public String name() {
        return "image-text";
    }

    @Override
    public String description() {
        return "Fashion-MNIST images paired with template captions (\"a photo of a sneaker\") for CLIP-style training";
    }

    @Override
    public OptionSchema options() {
        return OPTIONS;
    }

    @Override
    public Dataset load(Options options, Path baseDir) throws DataException {
        ImageTextCaptions captions;
        try {
            captions = ImageTextCaptions.withMaxTokens(options.getInt("max-length"));
        } catch (IllegalArgumentException e) {
            throw new OptionException(options.prefix() + ".max-length", options.getInt("max-length"), e.getMessage());
        }
        Map<String, Object> idx = new LinkedHashMap<>();
        idx.put("images", options.getString("images"));
        idx.put("labels", options.getString("labels"));
        idx.put("limit", options.getInt("limit"));
        IdxDatasetProvider images = new IdxDatasetProvider();
        Dataset pictures = images.load(images.options().validate(idx, options.prefix(), List.of()), baseDir);
        int classes = ImageTextCaptions.CLASS_NAMES.size();
        if (pictures.spec().classes() != classes) {
            throw new DataException(baseDir.resolve(options.getString("labels")), 0, "holds labels up to "
                    + (pictures.spec().classes() - 1) + ", but image-text captions Fashion-MNIST's " + classes + " classes (0..9)");
        }
        List<String> templates = options.getString("templates").equals("train")
                ? ImageTextCaptions.TRAIN_TEMPLATES : ImageTextCaptions.HELD_OUT_TEMPLATES;
        int n = pictures.size();
        int pixels = pictures.spec().featureSize();
        int tokens = captions.maxTokens();
        int width = pixels + tokens;
        float[] pixelData = pictures.features().floats();
        long[] labels = pictures.targets().longs();
        float[] features = new float[Math.multiplyExact(n, width)];
        Random random = new Random(options.getInt("seed"));
        for (int i = 0; i < n; i++) {
            System.arraycopy(pixelData, i * pixels, features, i * width, pixels);
            long[] ids = captions.encode(ImageTextCaptions.caption((int) labels[i], templates, random));
            for (int t = 0; t < tokens; t++) {
                features[i * width + pixels + t] = ids[t];
            }
        }
        InMemoryDataset data = InMemoryDataset.classification(Shape.of(width), features, labels, classes,
                ImageTextCaptions.CLASS_NAMES, pictures.source() + " with " + options.getString("templates") + " captions");
        return new ImageTextDataset(data, pixels, captions);
    }
}
