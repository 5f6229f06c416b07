package dev.theta.api.spi;

import dev.theta.api.graph.Graph;

/** Executes graphs. Compilation happens once per graph and batch size; runs happen many times. */
public interface Backend {
    /** Null when the backend can run on this machine, otherwise why not and what to install. */
    default String unavailableReason() {
        return null;
    }

    Executable compile(Graph graph, int batchSize);
}
