package dev.theta.optimizers;

import dev.theta.api.options.Option;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;

import java.util.function.LongToDoubleFunction;

/** PyTorch {@code StepLR}: lr · γ^⌊k / step-size⌋ after k scheduler steps. */
public final class StepSchedule extends WarmUpSchedule {
    public StepSchedule() {
        super(Option.integer("step-size", null, Range.atLeast(1), "units between two decays"),
                Option.number("gamma", 0.1, Range.POSITIVE, "factor γ applied every step-size units"));
    }

    @Override
    public String name() {
        return "step";
    }

    @Override
    public String description() {
        return "lr × gamma every step-size units (torch.optim.lr_scheduler.StepLR)";
    }

    @Override
    LongToDoubleFunction curve(Options o, double baseLr, long remaining) {
        int stepSize = o.getInt("step-size");
        double gamma = o.getDouble("gamma");
        return count -> baseLr * Math.pow(gamma, count / stepSize);
    }
}
