package dev.theta.losses;

import dev.theta.api.graph.Value;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.Reduction;

/**
 * A binary loss ℓ(y·h(x)) of the margin y·h(x), for one score per example. Targets are the class indices {0, 1}
 * of a two-class dataset, read as y = −1 for class 0 and y = +1 for class 1, so that {@link Decision#SIGN}
 * (class 1 when the score is positive) predicts the class the loss pushes towards.
 */
abstract class MarginLoss implements LossProvider {

    /** ℓ of the margins, elementwise. */
    abstract Value of(Value margin);

    @Override
    public OptionSchema options() {
        return OptionSchema.of(Losses.REDUCTION);
    }

    @Override
    public Loss create(Options options, DataSpec data) {
        Losses.requireTwoClasses(data, options);
        return new Margin(this, Losses.reduction(options));
    }

    private record Margin(MarginLoss fn, Reduction reduction) implements Loss {
        @Override
        public int scores(DataSpec d) {
            return 1;
        }

        @Override
        public Value perExample(Value scores, Value target) {
            return fn.of(Losses.margin(scores, target));
        }

        @Override
        public Decision decision() {
            return Decision.SIGN;
        }
    }
}
