package dev.theta.core;

import dev.theta.core.training.EpochMetrics;

import java.util.List;

/**
 * Follows a training run from the host application. Every method has an empty default, so a listener overrides
 * only what it needs; they are called on the training thread, between steps, and should return quickly.
 */
public interface TrainingListener {
    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {
    };

    /** Optimizer step {@code step} (counted from 1 over the whole run) ended with minibatch loss {@code loss}. */
    default void onStep(long step, int epoch, double loss, double learningRate) {
    }

    /** Epoch {@code epoch} ended: its train metrics first, then validation (when there is such a split) and test. */
    default void onEpoch(int epoch, List<EpochMetrics> metrics) {
    }

    /** A checkpoint of the state after {@code step} was written ({@code name} relative to the run directory). */
    default void onCheckpoint(long step, String name) {
    }

    /** Early stopping ends the run after {@code epoch}, for {@code reason}. */
    default void onEarlyStop(int epoch, String reason) {
    }
}
