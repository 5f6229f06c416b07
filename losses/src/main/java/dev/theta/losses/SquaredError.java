package dev.theta.losses;

import dev.theta.api.graph.Value;
import dev.theta.api.options.OptionException;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.Reduction;
import dev.theta.api.tensor.Shape;

/**
 * The squared error for real-valued targets with m values per example: ℓ = Σ_j (h_j(x) − y_j)², one score per
 * target value. The mean divides by the number of target values, N·m, so that mean and sum are exactly PyTorch's
 * {@code MSELoss} with reduction mean and sum. Predictions are the scores themselves ({@link Decision#NONE}): no
 * labels, no accuracy.
 */
public final class SquaredError implements LossProvider {
    @Override
    public String name() {
        return "squared-error";
    }

    @Override
    public String description() {
        return "squared error sum_j (h_j(x) - y_j)^2 for real-valued targets; mean is PyTorch's MSELoss";
    }

    @Override
    public OptionSchema options() {
        return OptionSchema.of(Losses.REDUCTION);
    }

    @Override
    public Loss create(Options options, DataSpec data) {
        if (data.isClassification()) {
            throw new OptionException(options.prefix(), "squared-error needs real-valued targets, but the data has "
                    + data.classes() + " classes; use 'cross-entropy' for class indices (or 'logistic'/'hinge' for two classes)");
        }
        return new Squared(Losses.reduction(options), data.targetShape().size());
    }

    private record Squared(Reduction reduction, int values) implements Loss {
        @Override
        public int scores(DataSpec d) {
            return d.targetShape().size();
        }

        @Override
        public Value perExample(Value scores, Value target) {
            Shape rows = Shape.of(Shape.BATCH, values);
            Value error = scores.reshape(rows).sub(target.reshape(rows));
            return error.mul(error).sum(1);
        }

        @Override
        public Value meanWeights(Value target) {
            return values == 1 ? null : target.graph().scalar(values).expand(Shape.of(Shape.BATCH));
        }

        @Override
        public Decision decision() {
            return Decision.NONE;
        }
    }
}
