package dev.theta.losses;

import dev.theta.api.graph.Value;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.Reduction;
import dev.theta.api.tensor.Shape;

/**
 * CLIP's symmetric contrastive loss on the N×N similarity scores S of a batch of matching pairs (image i goes with
 * caption i): cross-entropy over each row (which caption goes with image i) and over each column (which image goes
 * with caption j), averaged: ℓ_i = ½(−log softmax_row(S)_ii − log softmax_col(S)_ii). The targets are not read; the
 * pairing is the diagonal, picked with the identity of the batch's size. The mean over the batch is CLIP's loss.
 */
public final class Clip implements LossProvider {
    @Override
    public String name() {
        return "clip";
    }

    @Override
    public String description() {
        return "CLIP's symmetric contrastive loss on [N, N] image-caption similarities: mean of row and column cross-entropy";
    }

    @Override
    public OptionSchema options() {
        return OptionSchema.of(Losses.REDUCTION);
    }

    @Override
    public Loss create(Options options, DataSpec data) {
        return new Symmetric(Losses.reduction(options));
    }

    private record Symmetric(Reduction reduction) implements Loss {
        /** One score per example of the batch: the scores are [N, N]. */
        @Override
        public int scores(DataSpec data) {
            return Shape.BATCH;
        }

        @Override
        public Value perExample(Value scores, Value target) {
            Shape s = scores.shape();
            if (s.rank() != 2 || s.dim(0) != Shape.BATCH || s.dim(1) != Shape.BATCH) {
                throw new IllegalArgumentException("the clip loss reads [N, N] image-caption similarities (hypothesis"
                        + " 'dual-encoder'), got scores " + scores.type());
            }
            Value diagonal = scores.eyeLike();
            Value captionGivenImage = scores.logSoftmax(1).mul(diagonal).sum(1);
            Value imageGivenCaption = scores.logSoftmax(0).mul(diagonal).sum(0);
            return captionGivenImage.add(imageGivenCaption).mul(-0.5f);
        }

        /** Matching pairs have no labels to predict: no accuracy. */
        @Override
        public Decision decision() {
            return Decision.NONE;
        }
    }
}
