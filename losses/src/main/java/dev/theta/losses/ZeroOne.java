package dev.theta.losses;

import dev.theta.api.graph.Value;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

/**
 * The 0-1 loss 1{argmax h(x) ≠ y}: a metric, not a training objective (its gradient is zero almost everywhere).
 * An example whose target score ties with the maximum counts as correct.
 */
public final class ZeroOne implements LossProvider {
    @Override
    public String name() {
        return "zero-one";
    }

    @Override
    public String description() {
        return "0-1 loss 1{argmax h(x) != y}: a metric only, not trainable";
    }

    @Override
    public OptionSchema options() {
        return OptionSchema.of();
    }

    @Override
    public Loss create(Options options, DataSpec data) {
        Losses.requireClasses(data, options, 2);
        return new Loss() {
            @Override
            public int scores(DataSpec d) {
                return d.classes();
            }

            @Override
            public Value perExample(Value scores, Value target) {
                Value picked = scores.gatherElements(target.reshape(Shape.of(Shape.BATCH, 1)), 1).reshape(Shape.of(Shape.BATCH));
                return picked.less(scores.amax(1)).cast(DType.FLOAT32);
            }

            @Override
            public Decision decision() {
                return Decision.ARGMAX;
            }

            @Override
            public String notTrainableReason() {
                return "loss 'zero-one' is a metric, not a training objective: its gradient is zero almost everywhere."
                        + " Train with a differentiable surrogate such as 'cross-entropy'; accuracy (1 - zero-one) is reported anyway";
            }
        };
    }
}
