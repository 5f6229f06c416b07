package dev.theta.core.training;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.Executable;

/**
 * A run's step graph compiled for the calls the loop makes. A backend may run K minibatches per call (parameters
 * stay on the device), so {@link #main} runs K full batches; the rest of an epoch that is not a multiple of K runs
 * one full batch per call, and the smaller last batch of an epoch its own size. {@link #main} holds the carried
 * state (parameters, optimizer state) between calls: checkpoints and evaluation read it there.
 */
final class StepExecutables implements AutoCloseable {
    private final Graph graph;
    private final int batch;
    private final Executable main;
    /** One full batch per call, where {@link #main} runs more; else null. */
    private final Executable single;
    /** The smaller last batch of an epoch; null where there is none. */
    private final Executable tail;

    private StepExecutables(Graph graph, int batch, Executable main, Executable single, Executable tail) {
        this.graph = graph;
        this.batch = batch;
        this.main = main;
        this.single = single;
        this.tail = tail;
    }

    /** For {@code n} training examples in batches of {@code batch}; runs in iterations draw full batches only. */
    static StepExecutables compile(Backend backend, Graph step, int n, int batch, boolean fullBatchesOnly) {
        Executable main = backend.compile(step, batch);
        Executable single = main.stepsPerCall() == 1 ? null : backend.compile(step, batch, 1);
        Executable tail = fullBatchesOnly || n % batch == 0 ? null : backend.compile(step, n % batch, 1);
        return new StepExecutables(step, batch, main, single, tail);
    }

    /** The executable that holds the carried state. */
    Executable main() {
        return main;
    }

    /** Minibatches the next call runs, with {@code fullBatchesLeft} in the epoch; one with {@code oneAtATime}. */
    int stepsPerCall(int fullBatchesLeft, boolean oneAtATime) {
        int k = main.stepsPerCall();
        return !oneAtATime && k > 1 && fullBatchesLeft >= k ? k : 1;
    }

    /**
     * The executable for a call of {@code steps} minibatches of {@code count} examples, holding the carried state
     * (copied from {@link #main} when it is another); {@link #giveBack} returns the state.
     */
    Executable borrow(int steps, int count, boolean onMain) {
        Executable exec = steps > 1 || onMain ? main : count < batch ? tail : single != null ? single : main;
        if (exec != main) {
            ExecutableState.copyCarried(graph, main, exec);
        }
        return exec;
    }

    /** Puts the state {@code exec} (from {@link #borrow}) holds after its call back into {@link #main}. */
    void giveBack(Executable exec) {
        if (exec != main) {
            ExecutableState.copyCarried(graph, exec, main);
        }
    }

    @Override
    public void close() {
        for (Executable e : new Executable[] {main, single, tail}) {
            if (e != null) {
                e.close();
            }
        }
    }
}
