package dev.theta.optimizers;

import dev.theta.api.options.Option;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.LearningRateSchedule;
import dev.theta.api.spi.ScheduleProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * What every schedule shares: the {@code unit} its lengths count in, the mapping from optimizer steps to scheduler
 * counts, and the optional linear warm-up in front of the schedule's own curve (see the package documentation).
 */
abstract sealed class WarmUpSchedule implements ScheduleProvider
        permits ConstantSchedule, StepSchedule, ExponentialSchedule, CosineSchedule {
    private static final List<Option> COMMON = List.of(
            Option.choice("unit", "epoch", List.of("epoch", "step"),
                    "what lengths count and when the rate changes: after every epoch, or after every optimizer step"),
            Option.integer("warmup", 0, Range.NON_NEGATIVE, "length of the linear warm-up in units; 0 = none"),
            Option.number("warmup-start-factor", 1.0 / 3, new Range(0, false, 1, true),
                    "the warm-up starts at lr × this factor and rises linearly towards lr (PyTorch LinearLR)"));

    private final OptionSchema options;

    WarmUpSchedule(Option... own) {
        List<Option> all = new ArrayList<>(List.of(own));
        all.addAll(COMMON);
        this.options = OptionSchema.of(all.toArray(Option[]::new));
    }

    @Override
    public final OptionSchema options() {
        return options;
    }

    @Override
    public final LearningRateSchedule create(Options o, double baseLr, long stepsPerEpoch, int epochs) {
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("a schedule needs at least one step per epoch, got " + stepsPerEpoch);
        }
        boolean perEpoch = o.getString("unit").equals("epoch");
        int warmup = o.getInt("warmup");
        double startFactor = o.getDouble("warmup-start-factor");
        long units = perEpoch ? epochs : stepsPerEpoch * epochs;
        LongToDoubleFunction curve = curve(o, baseLr, units - warmup);
        return step -> {
            if (step < 1) {
                throw new IllegalArgumentException("steps count from 1, got " + step);
            }
            long count = perEpoch ? (step - 1) / stepsPerEpoch : step - 1;
            return count < warmup
                    ? baseLr * (startFactor + (1 - startFactor) * count / warmup)
                    : curve.applyAsDouble(count - warmup);
        };
    }

    /**
     * The schedule's own learning rate after {@code count} scheduler steps past the warm-up; {@code remaining} is
     * the number of units the run has left after the warm-up.
     */
    abstract LongToDoubleFunction curve(Options o, double baseLr, long remaining);
}
