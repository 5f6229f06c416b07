package dev.theta.core.training;

import dev.theta.core.metrics.ClassificationReport;

/**
 * The metrics of one split after one epoch: mean loss per example, accuracy (NaN for regression), the examples
 * seen, the seconds the pass took, and for the test split of a classifier its {@link ClassificationReport}
 * (null otherwise).
 */
public record EpochMetrics(int epoch, String split, double loss, double accuracy, long examples, double seconds,
                           ClassificationReport classification) {

    public double examplesPerSecond() {
        return seconds > 0 ? examples / seconds : Double.NaN;
    }

    /** The value of {@code name} (loss, accuracy, macro_f1, roc_auc); NaN when this split has no such metric. */
    public double get(String name) {
        return switch (name) {
            case "loss" -> loss;
            case "accuracy" -> accuracy;
            case "macro_f1" -> classification == null ? Double.NaN : classification.macroF1();
            case "roc_auc" -> classification == null ? Double.NaN : classification.rocAuc();
            case "examples_per_second" -> examplesPerSecond();
            default -> throw new IllegalArgumentException("no metric '" + name + "'");
        };
    }
}
