package dev.theta.backend.cpu;

import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How stacked products are planned (values are checked by the conformance suite): a rank-2 right operand makes one
 * sgemm of all rows, transposes of the last two axes are read with the BLAS flags, and steady-state runs allocate
 * nothing.
 */
class BatchedMatMulTest {
    private static final CpuBackend CPU = new CpuBackend(1, false);

    private static List<String> kernels(CpuExecutable e) {
        return IntStream.range(0, e.kernelCount()).mapToObj(e::describeKernel).toList();
    }

    @Test
    void sequenceTimesMatrixIsOneProductOfAllRows() {
        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 6, 5));
        Value w = g.input("w", Role.PARAMETER, DType.FLOAT32, Shape.of(5, 7));
        g.output("y", x.matmul(w));
        try (CpuExecutable e = CPU.compile(g, 4)) {
            assertEquals(List.of("MatMul 24x5 . 5x7, 1 thread(s)"), kernels(e));
        }
    }

    @Test
    void transposedStacksAreReadWithTheBlasFlags() {
        Graph g = new Graph();
        Value q = g.input("q", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 3, 8, 4));
        Value k = g.input("k", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 3, 8, 4));
        g.output("scores", q.matmul(k.transpose(0, 1, 3, 2)));
        try (CpuExecutable e = CPU.compile(g, 2)) {
            assertEquals(List.of("MatMul 6 x 8x4 . 4x8(T), 1 thread(s)"), kernels(e));
        }
    }

    @Test
    void attentionGradientReadsTransposesInPlaceAndAllocatesNothing() {
        Graph g = new Graph();
        Value q = g.input("q", Role.PARAMETER, DType.FLOAT32, Shape.of(Shape.BATCH, 2, 8, 4));
        Value k = g.input("k", Role.PARAMETER, DType.FLOAT32, Shape.of(Shape.BATCH, 2, 8, 4));
        Value v = g.input("v", Role.PARAMETER, DType.FLOAT32, Shape.of(Shape.BATCH, 2, 8, 4));
        Value att = q.matmul(k.transpose(0, 1, 3, 2)).mul(0.5f).softmax(-1).matmul(v);
        Value loss = att.mul(att).sum();
        g.output("loss", loss);
        Autodiff.gradients(loss, List.of(q, k, v)).forEach((p, grad) -> g.output("grad/" + p.id(), grad));
        try (CpuExecutable e = CPU.compile(g, 3)) {
            List<String> described = kernels(e);
            // The one copy is k's gradient, the transpose of kᵀ's; no transpose feeding a product is materialised.
            assertEquals(1, described.stream().filter(s -> s.startsWith("CopyKernel")).count(), described.toString());
            float[] values = e.input("q").floats();
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) Math.sin(i);
                e.input("k").floats()[i] = (float) Math.cos(i);
                e.input("v").floats()[i] = (float) Math.sin(0.3 * i);
            }
            com.sun.management.ThreadMXBean bean =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            for (int i = 0; i < 200; i++) {
                e.run();
            }
            long before = bean.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 100; i++) {
                e.run();
            }
            long allocated = bean.getThreadAllocatedBytes(tid) - before;
            assertTrue(allocated < 4096, "100 steps allocated " + allocated + " bytes");
        }
    }
}
