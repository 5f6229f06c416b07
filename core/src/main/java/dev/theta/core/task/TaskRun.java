package dev.theta.core.task;

import dev.theta.api.tensor.Tensor;
import dev.theta.core.run.EventLog;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.training.EpochMetrics;

import java.io.IOException;
import java.util.Map;

/** What a task adds to one run; every hook has a default that adds nothing. */
public interface TaskRun {
    /**
     * The metrics of a held-out split (validation or test) after an epoch, with {@code parameters} keyed by graph
     * input name as they are now: the task may log, append events and return the metrics with its own.
     */
    default EpochMetrics evaluated(EpochMetrics metrics, Map<String, Tensor> parameters, EventLog events) {
        return metrics;
    }

    /** After the run's model was exported into {@code directory}: the task's own exports beside it. */
    default void export(RunDirectory directory, Map<String, Tensor> parameters, Map<String, String> metadata) throws IOException {
    }
}
