package dev.theta.losses;

import dev.theta.api.graph.Value;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.Reduction;
import dev.theta.api.tensor.Shape;

/**
 * The multiclass hinge loss with PyTorch's {@code MultiMarginLoss} semantics over k classes:
 * ℓ = w_y · Σ_{j≠y} max(0, margin − h_y + h_j)^p / k. Unlike cross-entropy, the mean is a plain mean over the
 * examples even with class weights, as in PyTorch. Terms at exactly zero get gradient 0, as in PyTorch.
 */
public final class MulticlassHinge implements LossProvider {
    @Override
    public String name() {
        return "multiclass-hinge";
    }

    @Override
    public String description() {
        return "multiclass hinge loss sum_{j!=y} max(0, margin - h_y + h_j)^p / k (PyTorch MultiMarginLoss)";
    }

    @Override
    public OptionSchema options() {
        return OptionSchema.of(Losses.REDUCTION,
                Option.integer("p", 1, Range.closed(1, 2), "power of each hinge term: 1 or 2"),
                Option.number("margin", 1.0, Range.POSITIVE, "the margin by which the target's score should lead every other score"),
                Losses.weightsOption("per-class weights w_c >= 0 multiplying the loss of examples of class c"));
    }

    @Override
    public Loss create(Options options, DataSpec data) {
        Losses.requireClasses(data, options, 2);
        return new MultiMargin(Losses.reduction(options), options.getInt("p"), (float) options.getDouble("margin"),
                Losses.classWeights(options, data));
    }

    /** {@code weights} is null when every class weighs 1. */
    private record MultiMargin(Reduction reduction, int p, float margin, float[] weights) implements Loss {
        @Override
        public int scores(DataSpec d) {
            return d.classes();
        }

        @Override
        public Value perExample(Value scores, Value target) {
            int k = scores.shape().dim(1);
            Value hy = scores.gatherElements(target.reshape(Shape.of(target.shape().dim(0), 1)), 1);
            Value hinge = scores.sub(hy).add(margin).relu();
            Value terms = p == 2 ? hinge.mul(hinge) : hinge;
            // The target's own term is margin^p; the mask removes it exactly.
            Value others = terms.mul(target.oneHot(k).rsub(1f));
            Value loss = others.sum(1).div(k);
            return weights == null ? loss : loss.mul(Losses.targetWeights(weights, target));
        }

        @Override
        public Decision decision() {
            return Decision.ARGMAX;
        }
    }
}
