package dev.theta.backend.cpu;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Carries, batch sizes, steady-state allocation, determinism and discovery of the compiled executable. */
class ExecutableTest {
    private static final CpuBackend CPU = new CpuBackend(2);

    @Test
    void carriesSwapAndInputOutputFollow() {
        Graph g = new Graph();
        Value c = g.input("c", Role.STATE, Tensor.of(Shape.of(2), 1f, 2f));
        Value k = g.input("k", Role.HYPER, DType.FLOAT32, Shape.SCALAR);
        g.output("next", c.add(k));
        g.output("twice", c.mul(2f));
        g.carry("next", "c");
        try (CpuExecutable e = CPU.compile(g, 1)) {
            Tensor kIn = e.input("k");
            kIn.floats()[0] = 10;
            e.run();
            assertArrayEquals(new float[] {11, 12}, e.input("c").floats());
            assertSame(e.input("c"), e.output("next"));
            assertArrayEquals(new float[] {2, 4}, e.output("twice").floats());
            e.run();
            assertArrayEquals(new float[] {21, 22}, e.input("c").floats());
            assertArrayEquals(new float[] {22, 24}, e.output("twice").floats());
            assertSame(kIn, e.input("k"), "inputs that are not carried keep their tensor");
            e.input("c").floats()[0] = 0;
            e.run();
            assertArrayEquals(new float[] {10, 32}, e.input("c").floats());
        }
    }

    @Test
    void outputsThatAreInputsOrAliasesAreCopies() {
        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 2));
        g.output("same", x);
        g.output("flat", x.reshape(Shape.of(Shape.batchTimes(2))));
        g.output("flat2", x.reshape(Shape.of(Shape.batchTimes(2))));
        try (CpuExecutable e = CPU.compile(g, 2)) {
            e.input("x").copyFrom(Tensor.of(Shape.of(2, 2), 1f, 2f, 3f, 4f));
            e.run();
            assertArrayEquals(new float[] {1, 2, 3, 4}, e.output("same").floats());
            assertEquals(Shape.of(4), e.output("flat").shape());
            assertArrayEquals(new float[] {1, 2, 3, 4}, e.output("flat2").floats());
        }
    }

    @Test
    void sameGraphCompilesForSeveralBatchSizes() {
        Graph g = TrainingGraphs.softmaxRegression(784, 10, 1);
        for (int batch : new int[] {128, 96}) {
            try (CpuExecutable e = CPU.compile(g, batch)) {
                assertEquals(Shape.of(batch, 784), e.input("x").shape());
                TrainingGraphs.fillBatch(e.input("x"), e.input("y"), 10, 7);
                e.input("lr").floats()[0] = 0.1f;
                e.run();
                float first = e.output("loss").floats()[0];
                assertTrue(Math.abs(first - Math.log(10)) < 0.5, "initial loss near log 10: " + first);
                for (int i = 0; i < 50; i++) {
                    e.run();
                }
                assertTrue(e.output("loss").floats()[0] < first * 0.9, "loss falls on a fixed batch");
            }
        }
    }

    @Test
    void transposesOnlyFeedingProductsAreRemoved() {
        try (CpuExecutable e = CPU.compile(TrainingGraphs.softmaxRegression(784, 10, 1), 128)) {
            // forward: matmul, add, logsoftmax, gather, neg, mean; backward and update stay well under 30 kernels
            assertTrue(e.kernelCount() < 30, "kernels: " + e.kernelCount());
        }
    }

    @Test
    void steadyStateRunsAllocateNothing() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (var graph : new Graph[] {TrainingGraphs.softmaxRegression(784, 10, 1), TrainingGraphs.mlpAdam(784, 64, 10, 1),
                TrainingGraphs.cnnSgd(28, 10, 1)}) {
            try (CpuExecutable e = CPU.compile(graph, 128)) {
                TrainingGraphs.fillBatch(e.input("x"), e.input("y"), 10, 3);
                e.input("lr").floats()[0] = 0.01f;
                for (int i = 0; i < 200; i++) {
                    e.run();
                }
                // Steady state means compiled: vector API code allocates its vectors until C2 has compiled it, which
                // a busy machine may delay, so allow a few more windows of 100 steps before judging.
                long tid = Thread.currentThread().threadId();
                long allocated = Long.MAX_VALUE;
                for (int window = 0; window < 20 && allocated >= 4096; window++) {
                    long before = bean.getThreadAllocatedBytes(tid);
                    for (int i = 0; i < 100; i++) {
                        e.run();
                    }
                    allocated = bean.getThreadAllocatedBytes(tid) - before;
                }
                assertTrue(allocated < 4096, "100 steps allocated " + allocated + " bytes, after 2,100 steps");
            }
        }
    }

    @Test
    void runsAreBitIdentical() {
        Graph g = TrainingGraphs.mlpAdam(784, 256, 10, 5);
        float[][] losses = new float[2][];
        float[][] weights = new float[2][];
        for (int rep = 0; rep < 2; rep++) {
            try (CpuExecutable e = CPU.compile(g, 128)) {
                e.input("lr").floats()[0] = 1e-3f;
                losses[rep] = new float[20];
                for (int i = 0; i < 20; i++) {
                    TrainingGraphs.fillBatch(e.input("x"), e.input("y"), 10, i);
                    e.input("step").floats()[0] = i + 1;
                    e.run();
                    losses[rep][i] = e.output("loss").floats()[0];
                }
                weights[rep] = e.input("w1").floats().clone();
            }
        }
        assertArrayEquals(losses[0], losses[1]);
        assertArrayEquals(weights[0], weights[1]);
    }

    @Test
    void convolutionalNetworkTrainsBitIdentically() {
        Graph g = TrainingGraphs.cnnSgd(28, 10, 3);
        float[][] losses = new float[2][];
        for (int rep = 0; rep < 2; rep++) {
            try (CpuExecutable e = CPU.compile(g, 32)) {
                e.input("lr").floats()[0] = 0.2f;
                TrainingGraphs.fillBatch(e.input("x"), e.input("y"), 10, 11);
                losses[rep] = new float[40];
                for (int i = 0; i < 40; i++) {
                    e.run();
                    losses[rep][i] = e.output("loss").floats()[0];
                }
            }
        }
        assertArrayEquals(losses[0], losses[1]);
        assertTrue(losses[0][39] < losses[0][0] * 0.9, "loss falls on a fixed batch: " + losses[0][0] + " -> "
                + losses[0][39]);
    }

    @Test
    void outOfRangeLabelFailsWithMessage() {
        try (CpuExecutable e = CPU.compile(TrainingGraphs.softmaxRegression(4, 3, 1), 2)) {
            e.input("y").longs()[1] = 3;
            var ex = assertThrows(IllegalArgumentException.class, e::run);
            assertTrue(ex.getMessage().contains("index 3") && ex.getMessage().contains("[0, 3)"), ex.getMessage());
        }
    }

    @Test
    void providerIsDiscoveredAndValidatesThreads() {
        var provider = ServiceLoader.load(dev.theta.api.spi.BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("cpu")).findFirst().orElseThrow();
        var options = provider.options().validate(java.util.Map.of(), "backend", java.util.Set.of());
        assertEquals(2, options.getInt(CpuBackendProvider.THREADS));
        assertEquals(null, provider.create(options).unavailableReason());
        assertThrows(RuntimeException.class,
                () -> provider.options().validate(java.util.Map.of("threads", 0), "backend", java.util.Set.of()));
    }
}
