package dev.theta.core;

import dev.theta.core.training.Interruption;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How an experiment trains beyond its config: where it writes (nothing, by default: checkpoints stay in memory),
 * who follows it and what can cancel it. Immutable; each {@code with...} returns a copy.
 */
public final class TrainingOptions {
    private final Path runDirectory;
    private final boolean overwrite;
    private final TrainingListener listener;
    private final Cancellation cancellation;

    private TrainingOptions(Path runDirectory, boolean overwrite, TrainingListener listener, Cancellation cancellation) {
        this.runDirectory = runDirectory;
        this.overwrite = overwrite;
        this.listener = listener;
        this.cancellation = cancellation;
    }

    /** No run directory, no listener, not cancellable. */
    public static TrainingOptions defaults() {
        return new TrainingOptions(null, false, TrainingListener.NONE, new Cancellation());
    }

    /**
     * Writes a run directory as {@code theta train --out DIR} does (config, metrics, checkpoints, parameters,
     * model): one that is new or empty, or, with {@code overwrite}, a run theta wrote before.
     */
    public TrainingOptions withRunDirectory(Path directory, boolean overwrite) {
        return new TrainingOptions(Objects.requireNonNull(directory), overwrite, listener, cancellation);
    }

    public TrainingOptions withListener(TrainingListener listener) {
        return new TrainingOptions(runDirectory, overwrite, Objects.requireNonNull(listener), cancellation);
    }

    /** Training stops at the next step boundary once {@code cancellation} is cancelled (from any thread). */
    public TrainingOptions withCancellation(Cancellation cancellation) {
        return new TrainingOptions(runDirectory, overwrite, listener, Objects.requireNonNull(cancellation));
    }

    Path runDirectory() {
        return runDirectory;
    }

    boolean overwrite() {
        return overwrite;
    }

    TrainingListener listener() {
        return listener;
    }

    Interruption interruption() {
        return cancellation.interruption;
    }

    /** A handle the host application keeps to stop training: {@link #cancel} from any thread. */
    public static final class Cancellation {
        private final Interruption interruption = Interruption.manual();

        /** Asks training to stop at its next step boundary; it then throws {@link ThetaException.Cancelled}. */
        public void cancel() {
            interruption.request();
        }

        public boolean isCancelled() {
            return interruption.isRequested();
        }
    }
}
