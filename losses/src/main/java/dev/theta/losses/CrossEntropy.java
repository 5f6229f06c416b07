package dev.theta.losses;

import dev.theta.api.graph.Value;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.tensor.Shape;

/** Softmax cross-entropy on class indices: ℓ = −log softmax(h(x))_y, computed with a stable log-softmax. */
public final class CrossEntropy implements LossProvider {
    @Override
    public String name() {
        return "cross-entropy";
    }

    @Override
    public String description() {
        return "softmax cross-entropy -log softmax(h(x))_y on class indices";
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
                Value picked = scores.logSoftmax(1).gatherElements(target.reshape(Shape.of(Shape.BATCH, 1)), 1);
                return picked.reshape(Shape.of(Shape.BATCH)).neg();
            }

            @Override
            public Decision decision() {
                return Decision.ARGMAX;
            }
        };
    }
}
