package dev.theta.optimizers;

import dev.theta.api.options.Options;

import java.util.function.LongToDoubleFunction;

/** The optimizer's lr throughout (after the optional warm-up). */
public final class ConstantSchedule extends WarmUpSchedule {
    @Override
    public String name() {
        return "constant";
    }

    @Override
    public String description() {
        return "the optimizer's lr at every step, after an optional linear warm-up";
    }

    @Override
    LongToDoubleFunction curve(Options o, double baseLr, long remaining) {
        return count -> baseLr;
    }
}
