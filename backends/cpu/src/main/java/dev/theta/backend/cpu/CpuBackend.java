package dev.theta.backend.cpu;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Backend;
import dev.theta.backend.cpu.kernels.Blas;
import dev.theta.backend.cpu.kernels.NarrowProducts;
import dev.theta.backend.cpu.plan.Compiler;

/**
 * Runs graphs on the JVM; matrix products go to OpenBLAS with up to {@code threads} threads, except products with
 * few output columns, which run on the JDK's vector API where the JVM has it ({@link NarrowProducts}).
 */
public final class CpuBackend implements Backend {
    private final int threads;
    private final boolean narrowProducts;

    public CpuBackend(int threads) {
        this(threads, true);
    }

    /** @param narrowProducts false sends every product to OpenBLAS, even where the vector API is available */
    public CpuBackend(int threads, boolean narrowProducts) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.threads = threads;
        this.narrowProducts = narrowProducts && NarrowProducts.AVAILABLE;
    }

    @Override
    public String unavailableReason() {
        return Blas.unavailableReason();
    }

    @Override
    public CpuExecutable compile(Graph graph, int batchSize) {
        return Compiler.compile(graph, batchSize, threads, narrowProducts);
    }
}
