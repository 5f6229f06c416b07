package dev.theta.backend.cpu;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Backend;
import dev.theta.backend.cpu.kernels.Blas;
import dev.theta.backend.cpu.plan.Compiler;

/** Runs graphs on the JVM; matrix products go to OpenBLAS with up to {@code threads} threads. */
public final class CpuBackend implements Backend {
    private final int threads;

    public CpuBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.threads = threads;
    }

    @Override
    public String unavailableReason() {
        return Blas.unavailableReason();
    }

    @Override
    public CpuExecutable compile(Graph graph, int batchSize) {
        return Compiler.compile(graph, batchSize, threads);
    }
}
