package dev.theta.core.training;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A request to stop training at the next step boundary, made by SIGINT (Ctrl-C). While training runs, the first
 * SIGINT only sets a flag: the loop writes a checkpoint and ends with exit code 130; a second SIGINT, or one while
 * no training runs, exits at once. The signal arrives on its own thread; the flag is volatile.
 */
public final class Interruption {
    private static final Interruption PROCESS = new Interruption();

    private volatile boolean requested;
    private final AtomicInteger active = new AtomicInteger();

    /** The interruption of this process, set by the SIGINT handler once {@link #installSignalHandler} ran. */
    public static Interruption process() {
        return PROCESS;
    }

    /** A request a host application makes itself (cancellation), independent of SIGINT. */
    public static Interruption manual() {
        return new Interruption();
    }

    /** Routes SIGINT to {@link #process()}; for the command-line entry point only. */
    public static void installSignalHandler() {
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> PROCESS.onSignal());
    }

    private void onSignal() {
        if (requested) {
            Runtime.getRuntime().halt(130);
        }
        if (active.get() == 0) {
            System.err.println("theta: interrupted before training started (or after it ended); no checkpoint was written");
            System.exit(130);
        }
        requested = true;
    }

    /** Asks running training to stop at its next step boundary. */
    public void request() {
        requested = true;
    }

    public boolean isRequested() {
        return requested;
    }

    void begin() {
        active.incrementAndGet();
    }

    void end() {
        active.decrementAndGet();
    }
}
