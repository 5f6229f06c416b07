package dev.theta.runner.sweep;

import dev.theta.core.training.EpochMetrics;

import java.util.List;

/**
 * How one run of a sweep ended: {@code status} is ok, stopped-early, diverged, interrupted or failed (with
 * {@code message}); {@code history} holds the epochs that finished.
 */
public record SweepResult(SweepPlan.Combination combination, String directory, String status, String message,
                          List<EpochMetrics> history, int selectedEpoch) {

    /**
     * The value of {@code split.metric} at the epoch whose model the run kept ({@code selectedEpoch}; 0 for a run
     * that did not finish: its last finished epoch); NaN when there is none.
     */
    public double metric(String splitDotName) {
        String split = splitDotName.substring(0, splitDotName.indexOf('.'));
        String name = splitDotName.substring(split.length() + 1);
        EpochMetrics found = null;
        for (EpochMetrics m : history) {
            if (m.split().equals(split) && (selectedEpoch == 0 || m.epoch() == selectedEpoch)) {
                found = m;
            }
        }
        return found == null ? Double.NaN : found.get(name);
    }

    public int epochs() {
        return history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
    }

    public double seconds() {
        return history.stream().mapToDouble(EpochMetrics::seconds).sum();
    }
}
