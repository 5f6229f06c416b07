package dev.theta.api.spi;

/**
 * The learning rate of each optimizer step. The training loop evaluates it on the host and feeds the result to the
 * step graph's learning-rate input, so changing it never recompiles a graph.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    /** The learning rate of 1-based step {@code step}. */
    double at(long step);
}
