package dev.theta.api.spi;

import dev.theta.api.options.Options;

/**
 * Creates a learning-rate schedule for a run of {@code stepsPerEpoch × epochs} steps starting from the optimizer's
 * {@code lr}.
 */
public interface ScheduleProvider extends Provider {
    LearningRateSchedule create(Options options, double baseLr, long stepsPerEpoch, int epochs);
}
