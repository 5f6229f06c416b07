package dev.theta.runner.training;

/** The metrics of one split after one epoch: mean loss per example, accuracy, and the seconds the pass took. */
public record EpochMetrics(int epoch, String split, double loss, double accuracy, long examples, double seconds) {
}
