package dev.theta.bench;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.backend.cpu.CpuExecutable;

import java.util.Arrays;

/**
 * The CNN's dense layer products that have few rows, on two threads: x[64, 3136] · W[3136, 128] (forward) and
 * g[64, 128] · Wᵀ (the input gradient), compiled together by the CPU backend. Prints the median and least time of
 * 15 rounds of 100 runs, and how the products are split. Run it with two backend jars to compare them:
 * {@code java -cp bench/jmh/target/classes:<classpath> dev.theta.bench.DenseProductsTimer}.
 */
public final class DenseProductsTimer {
    private DenseProductsTimer() {
    }

    public static void main(String[] args) {
        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(64, 3136));
        Value w = g.input("w", Role.DATA, DType.FLOAT32, Shape.of(3136, 128));
        Value gy = g.input("g", Role.DATA, DType.FLOAT32, Shape.of(64, 128));
        g.output("y", x.matmul(w));
        g.output("dx", gy.matmul(w.transpose(1, 0)));
        try (CpuExecutable e = new CpuBackend(2).compile(g, 1)) {
            float[] xs = e.input("x").floats();
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) Math.sin(i);
            }
            float[] ws = e.input("w").floats();
            for (int i = 0; i < ws.length; i++) {
                ws[i] = (float) Math.cos(i);
            }
            for (int i = 0; i < 300; i++) {
                e.run();
            }
            double[] micros = new double[15];
            for (int r = 0; r < micros.length; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    e.run();
                }
                micros[r] = (System.nanoTime() - t0) / 100e3;
            }
            Arrays.sort(micros);
            System.out.printf("median %.1f us, least %.1f us per run (%s | %s)%n", micros[micros.length / 2],
                    micros[0], e.describeKernel(0), e.describeKernel(1));
        }
    }
}
