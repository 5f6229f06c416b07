package dev.theta.core.task;

import java.util.Optional;

/**
 * A task that plugs into the generic training loop, found with {@link java.util.ServiceLoader}: CLIP's contrastive
 * metrics and tower exports, a language model's per-token loss. The loop never tests for a task; it asks each
 * extension whether a run is its own.
 */
public interface TaskExtension {
    /** This task's part in {@code run}, or empty when the run is not this task's. */
    Optional<TaskRun> forRun(TaskContext run);
}
