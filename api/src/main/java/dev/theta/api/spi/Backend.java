package dev.theta.api.spi;

import dev.theta.api.graph.Graph;

/** Executes graphs. Compilation happens once per graph and batch size; runs happen many times. */
public interface Backend {
    /** Null when the backend can run on this machine, otherwise why not and what to install. */
    default String unavailableReason() {
        return null;
    }

    Executable compile(Graph graph, int batchSize);

    /**
     * Compiles a training-step graph to run {@code stepsPerCall} steps per call (see {@link Executable#stepsPerCall});
     * a backend that runs one step per call accepts only 1.
     */
    default Executable compile(Graph graph, int batchSize, int stepsPerCall) {
        if (stepsPerCall != 1) {
            throw new IllegalArgumentException("this backend runs one step per call, not " + stepsPerCall);
        }
        return compile(graph, batchSize);
    }
}
