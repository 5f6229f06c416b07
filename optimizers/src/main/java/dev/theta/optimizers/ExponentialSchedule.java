package dev.theta.optimizers;

import dev.theta.api.options.Option;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;

import java.util.function.LongToDoubleFunction;

/** PyTorch {@code ExponentialLR}: lr · γ^k after k scheduler steps. */
public final class ExponentialSchedule extends WarmUpSchedule {
    public ExponentialSchedule() {
        super(Option.number("gamma", null, Range.POSITIVE, "factor γ applied every unit"));
    }

    @Override
    public String name() {
        return "exponential";
    }

    @Override
    public String description() {
        return "lr × gamma every unit (torch.optim.lr_scheduler.ExponentialLR)";
    }

    @Override
    LongToDoubleFunction curve(Options o, double baseLr, long remaining) {
        double gamma = o.getDouble("gamma");
        return count -> baseLr * Math.pow(gamma, count);
    }
}
