package dev.theta.hypotheses;

import dev.theta.api.options.Option;
import dev.theta.api.options.OptionException;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.HypothesisProvider;

/**
 * The lecture's binary case: one score h(x) = x·w + b whose sign is the prediction. Works with the one-score losses
 * (logistic, hinge, squared-hinge, exponential); a loss that needs k scores is refused, naming {@code linear}.
 */
public final class LinearBinary implements HypothesisProvider {
    private static final OptionSchema OPTIONS = OptionSchema.of(
            Initializers.OPTION,
            Option.bool("bias", true, "add a learned bias b"));

    @Override
    public String name() {
        return "linear-binary";
    }

    @Override
    public String description() {
        return "one linear score x·w + b for binary classification (sign = class)";
    }

    @Override
    public OptionSchema options() {
        return OPTIONS;
    }

    @Override
    public Hypothesis create(Options options, DataSpec data, int scores) {
        if (scores != 1) {
            throw new OptionException(options.prefix() + ".name", "linear-binary gives one score, but the loss needs "
                    + scores + " scores; use hypothesis 'linear' for k scores, or a one-score loss (logistic, hinge, ...)");
        }
        return new Linear().create(options, data, 1);
    }
}
