package dev.theta.backend.cpu;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.backend.cpu.kernels.Parallel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernels split over threads ({@link Parallel}) compute what they compute on one: products by row blocks or (few
 * rows, plain and transposed operands, a width not a multiple of the blocks' alignment) column blocks, stacked
 * products by runs, fused chains (generated, tiled, long) and softmax by blocks, copies (a transpose, a concat's parts)
 * by rows, at sizes above the thresholds.
 */
class ThreadsTest {
    private static Tensor random(Shape shape, long seed) {
        Random r = new Random(seed);
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.of(shape, v);
    }

    private static List<Tensor> run(Graph g, int threads, List<String> inputs, List<Tensor> values, List<String> outs) {
        try (CpuExecutable e = new CpuBackend(threads).compile(g, 1)) {
            if (threads > 1) {
                List<String> kernels = IntStream.range(0, e.kernelCount()).mapToObj(e::describeKernel).toList();
                assertEquals(outs.size(), kernels.stream().filter(k -> k.contains(threads + " thread")).count(),
                        "every kernel splits: " + kernels);
                assertEquals(3, kernels.stream().filter(k -> k.endsWith("by columns")).count(),
                        "the three products of 64 rows split by columns: " + kernels);
            }
            for (int i = 0; i < inputs.size(); i++) {
                e.input(inputs.get(i)).copyFrom(values.get(i));
            }
            e.run();
            e.run();
            return outs.stream().map(o -> e.output(o).copy()).toList();
        }
    }

    @Test
    void splitKernelsMatchOneThread() {
        Graph g = new Graph();
        Shape ms = Shape.of(768, 128);
        Value a = g.input("a", Role.DATA, DType.FLOAT32, ms);
        Value b = g.input("b", Role.DATA, DType.FLOAT32, Shape.of(128, 256));
        Value q = g.input("q", Role.DATA, DType.FLOAT32, Shape.of(48, 64, 32));
        Value k = g.input("k", Role.DATA, DType.FLOAT32, Shape.of(48, 64, 32));
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(1024, 96));
        g.output("product", a.matmul(b));
        Value c = g.input("c", Role.DATA, DType.FLOAT32, Shape.of(64, 512));
        Value d = g.input("d", Role.DATA, DType.FLOAT32, Shape.of(512, 200));
        Value e = g.input("e", Role.DATA, DType.FLOAT32, Shape.of(200, 512));
        Value f = g.input("f", Role.DATA, DType.FLOAT32, Shape.of(512, 64));
        g.output("columns", c.matmul(d));
        g.output("columnsOfBt", c.matmul(e.transpose(1, 0)));
        g.output("columnsOfAt", f.transpose(1, 0).matmul(d));
        g.output("stacked", q.matmul(k.transpose(0, 2, 1)));
        g.output("generated", x.mul(x).add(x).mul(0.5f));
        g.output("tiled", x.mul(0.7f).erf().add(1f).mul(x));
        g.output("softmax", x.softmax(-1));
        g.output("logSoftmax", x.logSoftmax(1));
        g.output("transposed", q.transpose(0, 2, 1));
        // 17 ops over 24,576 elements: long enough to split below the short chains' threshold.
        Value y = g.input("y", Role.DATA, DType.FLOAT32, Shape.of(256, 96));
        Value chain = y;
        for (int i = 0; i < 8; i++) {
            chain = chain.mul(0.9f + 0.01f * i).add(y);
        }
        g.output("longChain", chain.mul(y));
        g.output("concatenated", x.concat(1, List.of(x.mul(2f))));
        List<String> in = List.of("a", "b", "q", "k", "x", "c", "d", "e", "f", "y");
        List<Tensor> values = List.of(random(ms, 1), random(Shape.of(128, 256), 2), random(Shape.of(48, 64, 32), 3),
                random(Shape.of(48, 64, 32), 4), random(Shape.of(1024, 96), 5), random(Shape.of(64, 512), 6),
                random(Shape.of(512, 200), 7), random(Shape.of(200, 512), 8), random(Shape.of(512, 64), 9),
                random(Shape.of(256, 96), 10));
        List<String> outs = List.of("product", "columns", "columnsOfBt", "columnsOfAt", "stacked", "generated", "tiled", "softmax",
                "logSoftmax", "transposed", "concatenated", "longChain");
        List<Tensor> one = run(g, 1, in, values, outs);
        List<Tensor> two = run(g, 2, in, values, outs);
        for (int i = 0; i < outs.size(); i++) {
            float[] expected = one.get(i).floats();
            float[] actual = two.get(i).floats();
            assertEquals(expected.length, actual.length, outs.get(i));
            // A block's sgemm may sum a product's 512 terms in another order than the whole product's (OpenBLAS picks
            // its kernels by size): agreement to float rounding at the output's scale, where a misplaced block is off
            // by the values themselves.
            float scale = 1f;
            for (float v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[j], actual[j], 1e-5f * scale, outs.get(i) + "[" + j + "]");
            }
        }
    }

    @Test
    void everyPieceRunsOnceInEveryRun() {
        Parallel pool = Parallel.of(3);
        int tasks = 7;
        AtomicIntegerArray counts = new AtomicIntegerArray(tasks);
        Parallel.Job job = new Parallel.Job(tasks, counts::incrementAndGet);
        int runs = 20_000;
        for (int r = 0; r < runs; r++) {
            pool.run(job);
        }
        for (int t = 0; t < tasks; t++) {
            assertEquals(runs, counts.get(t), "piece " + t);
        }
    }

    @Test
    void blocksCoverTheRangeAligned() {
        for (int parts = 1; parts <= 5; parts++) {
            assertEquals(0, Parallel.start(0, parts, 1000, 64));
            assertEquals(1000, Parallel.start(parts, parts, 1000, 64));
            for (int i = 1; i < parts; i++) {
                int s = Parallel.start(i, parts, 1000, 64);
                assertTrue(s % 64 == 0 && s >= Parallel.start(i - 1, parts, 1000, 64), "start " + i + " of " + parts);
            }
        }
    }
}
