package dev.theta.backend.cpu.bench;

import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.backend.cpu.CpuExecutable;

import java.util.List;

/**
 * Times the gradient of an embedding lookup: a table [rows, width], {@code picks} rows gathered and weighted, the
 * table's gradient computed. Run with {@code java -cp <test classpath> dev.theta.backend.cpu.bench.EmbeddingBench
 * [rows width picks threads]}; defaults 50000 128 768 2.
 */
public final class EmbeddingBench {
    private EmbeddingBench() {
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int width = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int picks = args.length > 2 ? Integer.parseInt(args[2]) : 768;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Graph g = new Graph();
        Value table = g.input("table", Role.PARAMETER, DType.FLOAT32, Shape.of(rows, width));
        Value ids = g.input("ids", Role.DATA, DType.INT64, Shape.of(Shape.BATCH));
        Value w = g.input("w", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, width));
        Value loss = table.gather(ids).mul(w).sum();
        g.output("loss", loss);
        g.output("grad", Autodiff.gradients(loss, List.of(table)).get(table));
        long t0 = System.nanoTime();
        try (CpuExecutable e = new CpuBackend(threads).compile(g, picks)) {
            double compile = (System.nanoTime() - t0) / 1e6;
            long[] idx = e.input("ids").longs();
            for (int i = 0; i < picks; i++) {
                idx[i] = (i * 7919L) % rows;
            }
            java.util.Arrays.fill(e.input("w").floats(), 0.5f);
            double best = Double.MAX_VALUE;
            for (int r = 0; r < 10; r++) {
                long s = System.nanoTime();
                e.run();
                best = Math.min(best, (System.nanoTime() - s) / 1e6);
            }
            System.out.printf("table [%d, %d], %d picks, %d thread(s): compile %.1f ms, step %.2f ms (best of 10), "
                    + "%d kernels%n", rows, width, picks, threads, compile, best, e.kernelCount());
        }
    }
}
