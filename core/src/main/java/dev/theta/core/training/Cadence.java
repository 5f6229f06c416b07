package dev.theta.core.training;

/**
 * When the loop checkpoints inside an epoch ({@code train.checkpoint-every} steps; epoch ends always do) and when
 * it scans the parameters for NaN: before every checkpoint, so that none holds a bad state, and every
 * {@value #PARAMETER_CHECK_EVERY} steps.
 */
record Cadence(int checkpointEvery) {
    static final int PARAMETER_CHECK_EVERY = 16;

    /** Whether a step call that moved the count from {@code before} to {@code after} passed a checkpoint inside the epoch. */
    boolean checkpointDue(long before, long after, boolean epochEnds) {
        return checkpointEvery > 0 && after / checkpointEvery > before / checkpointEvery && !epochEnds;
    }

    /** Whether the parameters are scanned after that call. */
    boolean scanDue(long before, long after, boolean checkpointing) {
        return checkpointing || after / PARAMETER_CHECK_EVERY > before / PARAMETER_CHECK_EVERY;
    }
}
