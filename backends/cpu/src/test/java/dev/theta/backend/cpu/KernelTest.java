package dev.theta.backend.cpu;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.ops.ReduceFn;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each primitive on small inputs against values worked out by hand, broadcasting layouts included. */
class KernelTest {
    private static final CpuBackend CPU = new CpuBackend(1);

    /** Builds out = f(inputs), with inputs a, b, c taken from the given tensors, and returns the output. */
    static Tensor eval(Function<Value[], Value> f, Tensor... in) {
        Graph g = new Graph();
        Value[] vals = new Value[in.length];
        for (int i = 0; i < in.length; i++) {
            vals[i] = g.input("in" + i, Role.DATA, in[i].dtype(), in[i].shape());
        }
        g.output("out", f.apply(vals));
        try (CpuExecutable e = CPU.compile(g, 1)) {
            for (int i = 0; i < in.length; i++) {
                e.input("in" + i).copyFrom(in[i]);
            }
            e.run();
            return e.output("out").copy();
        }
    }

    static Tensor t(int[] dims, float... v) {
        return Tensor.of(Shape.of(dims), v);
    }

    static Tensor l(int[] dims, long... v) {
        return Tensor.of(Shape.of(dims), v);
    }

    static int[] d(int... dims) {
        return dims;
    }

    static void near(float[] expected, Tensor actual) {
        assertArrayEquals(expected, actual.floats(), 1e-5f, actual.toString());
    }

    @Test
    void unaryFunctions() {
        Tensor x = t(d(4), -2, -0.5f, 0.5f, 2);
        near(new float[] {2, 0.5f, -0.5f, -2}, eval(v -> v[0].neg(), x));
        near(new float[] {0, 0, 0.5f, 2}, eval(v -> v[0].relu(), x));
        near(new float[] {2, 0.5f, 0.5f, 2}, eval(v -> v[0].abs(), x));
        near(new float[] {-1, -1, 1, 1}, eval(v -> v[0].sign(), x));
        near(new float[] {(float) Math.exp(-2), (float) Math.exp(-0.5), (float) Math.exp(0.5), (float) Math.exp(2)},
                eval(v -> v[0].exp(), x));
        near(new float[] {(float) Math.tanh(-2), (float) Math.tanh(-0.5), (float) Math.tanh(0.5), (float) Math.tanh(2)},
                eval(v -> v[0].tanh(), x));
        near(new float[] {0.11920292f, 0.37754067f, 0.62245933f, 0.88079708f}, eval(v -> v[0].sigmoid(), x));
        near(new float[] {0, 1, 2, 3}, eval(v -> v[0].sqrt(), t(d(4), 0, 1, 4, 9)));
        near(new float[] {0, 1}, eval(v -> v[0].log(), t(d(2), 1, (float) Math.E)));
    }

    @Test
    void binaryBroadcastLayouts() {
        Tensor m = t(d(2, 3), 1, 2, 3, 4, 5, 6);
        near(new float[] {2, 4, 6, 8, 10, 12}, eval(v -> v[0].add(v[1]), m, m));
        near(new float[] {11, 22, 33, 14, 25, 36}, eval(v -> v[0].add(v[1]), m, t(d(3), 10, 20, 30)));
        near(new float[] {10, 20, 30, 80, 100, 120}, eval(v -> v[0].mul(v[1]), m, t(d(2, 1), 10, 20)));
        near(new float[] {9, 8, 7, 6, 5, 4}, eval(v -> v[1].sub(v[0]), m, Tensor.scalar(10)));
        near(new float[] {0.5f, 1, 1.5f, 2, 2.5f, 3}, eval(v -> v[0].div(v[1]), m, Tensor.scalar(2)));
        // [2, 1] op [1, 3]: both operands broadcast, the general strided path.
        near(new float[] {11, 21, 31, 12, 22, 32}, eval(v -> v[0].add(v[1]), t(d(2, 1), 1, 2), t(d(1, 3), 10, 20, 30)));
        near(new float[] {1, 4, 9, 16, 25, 36}, eval(v -> v[0].pow(v[1]), m, Tensor.scalar(2)));
        near(new float[] {3, 3, 3, 4, 5, 6}, eval(v -> v[0].max(v[1]), m, Tensor.scalar(3)));
        near(new float[] {1, 2, 2, 2, 2, 2}, eval(v -> v[1].min(v[0]), m, Tensor.scalar(2)));
        // Rank 3 with a middle broadcast axis: [2, 2, 2] + [2, 1, 2].
        near(new float[] {1, 2, 1, 2, 13, 14, 13, 14},
                eval(v -> v[0].add(v[1]), t(d(2, 2, 2), 0, 0, 0, 0, 0, 0, 0, 0), t(d(2, 1, 2), 1, 2, 13, 14)));
    }

    @Test
    void int64ArithmeticComparisonAndCast() {
        Tensor a = l(d(3), 1, 5, -7);
        assertArrayEquals(new long[] {3, 7, -5}, eval(v -> v[0].add(v[1]), a, l(d(), 2)).longs());
        assertArrayEquals(new long[] {-1, 3, -9}, eval(v -> v[0].sub(v[1]), a, l(d(), 2)).longs());
        assertArrayEquals(new long[] {2, 10, -14}, eval(v -> v[0].mul(v[1]), a, l(d(), 2)).longs());
        near(new float[] {0, 1, 0}, eval(v -> v[0].equal(v[1]), a, l(d(3), 0, 5, 0)));
        near(new float[] {1, 0, 1}, eval(v -> v[0].less(v[1]), a, l(d(), 2)));
        near(new float[] {1, 5, -7}, eval(v -> v[0].cast(DType.FLOAT32), a));
        assertArrayEquals(new long[] {1, -2, 0}, eval(v -> v[0].cast(DType.INT64), t(d(3), 1.9f, -2.7f, 0.2f)).longs());
        Tensor bool = eval(v -> v[0].cast(DType.BOOL), t(d(3), 0, -3, 0.5f));
        assertEquals(DType.BOOL, bool.dtype());
        near(new float[] {0, 1, 1}, bool);
    }

    @Test
    void compareAndWhere() {
        Tensor a = t(d(2, 2), 1, 5, 3, 2);
        near(new float[] {0, 1, 1, 0}, eval(v -> v[0].greater(v[1]), a, t(d(2), 2, 2)));
        near(new float[] {1, 0, 0, 0}, eval(v -> v[0].less(v[1]), a, t(d(2, 1), 2, 1)));
        near(new float[] {-1, 5, 3, -1}, eval(v -> v[0].greater(2f).where(v[0], v[0].zero().sub(1f)), a));
        assertArrayEquals(new long[] {7, 0, 7, 0},
                eval(v -> v[0].where(v[1], v[2]), Tensor.wrap(DType.BOOL, Shape.of(2), new float[] {1, 0}),
                        l(d(2, 1), 7, 7), l(d(), 0)).longs());
    }

    @Test
    void reductions() {
        Tensor m = t(d(2, 3), 1, 2, 3, 4, 5, 6);
        near(new float[] {21}, eval(v -> v[0].sum(), m));
        near(new float[] {5, 7, 9}, eval(v -> v[0].sum(0), m));
        near(new float[] {6, 15}, eval(v -> v[0].sum(1), m));
        near(new float[] {2, 5}, eval(v -> v[0].mean(1), m));
        near(new float[] {3, 6}, eval(v -> v[0].amax(1), m));
        near(new float[] {4, 5, 6}, eval(v -> v[0].amax(0), m));
        Tensor keep = eval(v -> v[0].sumKeep(1), m);
        assertEquals(Shape.of(2, 1), keep.shape());
        // Non-adjacent axes of a rank-3 tensor: sum over 0 and 2 of [2, 2, 2].
        near(new float[] {1 + 2 + 5 + 6, 3 + 4 + 7 + 8},
                eval(v -> v[0].reduce(ReduceFn.SUM, new int[] {0, 2}, false), t(d(2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8)));
        near(new float[] {3.5f, 5.5f}, eval(v -> v[0].reduce(ReduceFn.MEAN, new int[] {0, 2}, false),
                t(d(2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8)));
    }

    @Test
    void logSoftmaxIsStableAndOnEitherAxis() {
        Tensor big = t(d(1, 3), 1000, 1001, 1002);
        double lse = 1002 + Math.log(Math.exp(-2) + Math.exp(-1) + 1);
        near(new float[] {(float) (1000 - lse), (float) (1001 - lse), (float) (1002 - lse)},
                eval(v -> v[0].logSoftmax(1), big));
        Tensor cols = eval(v -> v[0].logSoftmax(0), t(d(2, 2), 0, 5, 0, 5));
        near(new float[] {(float) -Math.log(2), (float) -Math.log(2), (float) -Math.log(2), (float) -Math.log(2)}, cols);
    }

    @Test
    void matmulWithAndWithoutTransposes() {
        Tensor a = t(d(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor b = t(d(3, 2), 7, 8, 9, 10, 11, 12);
        near(new float[] {58, 64, 139, 154}, eval(v -> v[0].matmul(v[1]), a, b));
        // a^T a: [3, 3], with the transpose folded into the BLAS call.
        near(new float[] {17, 22, 27, 22, 29, 36, 27, 36, 45}, eval(v -> v[0].transpose(1, 0).matmul(v[0]), a));
        near(new float[] {14, 32, 32, 77}, eval(v -> v[0].matmul(v[0].transpose(1, 0)), a));
        // A transpose that is also an output is still materialised.
        near(new float[] {1, 4, 2, 5, 3, 6}, eval(v -> v[0].transpose(1, 0), a));
    }

    @Test
    void indexing() {
        Tensor table = t(d(3, 2), 0, 1, 10, 11, 20, 21);
        near(new float[] {20, 21, 0, 1, 20, 21}, eval(v -> v[0].gather(v[1]), table, l(d(3), 2, 0, 2)));
        near(new float[] {1, 10, 21}, eval(v -> v[0].gatherElements(v[1], 1), table, l(d(3, 1), 1, 0, 1)));
        near(new float[] {20, 11}, eval(v -> v[0].gatherElements(v[1], 0), table, l(d(1, 2), 2, 1)));
        near(new float[] {0, 0, 1, 1, 0, 0}, eval(v -> v[0].oneHot(3), l(d(2), 2, 0)));
    }

    @Test
    void indicesOutOfRangeFailClearly() {
        Tensor table = t(d(3, 2), 0, 1, 10, 11, 20, 21);
        var e = assertThrows(IllegalArgumentException.class,
                () -> eval(v -> v[0].gatherElements(v[1], 1), table, l(d(3, 1), 1, 2, 0)));
        assertTrue(e.getMessage().contains("index 2") && e.getMessage().contains("[0, 2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> eval(v -> v[0].oneHot(10), l(d(2), 3, 10)));
        assertTrue(e.getMessage().contains("index 10") && e.getMessage().contains("[0, 10)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> eval(v -> v[0].gather(v[1]), table, l(d(1), -1)));
        assertTrue(e.getMessage().contains("index -1"), e.getMessage());
    }

    @Test
    void layout() {
        Tensor m = t(d(2, 3), 1, 2, 3, 4, 5, 6);
        near(new float[] {1, 2, 3, 4, 5, 6}, eval(v -> v[0].reshape(3, 2), m));
        assertEquals(Shape.of(3, 2), eval(v -> v[0].reshape(3, 2), m).shape());
        near(new float[] {1, 2, 3, 1, 2, 3}, eval(v -> v[0].expand(Shape.of(2, 3)), t(d(3), 1, 2, 3)));
        near(new float[] {2, 3, 5, 6}, eval(v -> v[0].slice(1, 1, 3), m));
        near(new float[] {4, 5, 6}, eval(v -> v[0].slice(0, 1, 2), m));
        near(new float[] {1, 2, 3, 9, 4, 5, 6, 9},
                eval(v -> v[0].concat(1, java.util.List.of(v[1])), m, t(d(2, 1), 9, 9)));
        near(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9},
                eval(v -> v[0].concat(0, java.util.List.of(v[1])), m, t(d(1, 3), 7, 8, 9)));
        // A rank-3 permutation.
        Tensor r3 = t(d(2, 3, 2), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        near(new float[] {0, 6, 2, 8, 4, 10, 1, 7, 3, 9, 5, 11}, eval(v -> v[0].transpose(2, 1, 0), r3));
    }

    @Test
    void sizeAndConstantsAreFolded() {
        Tensor m = t(d(2, 3), 1, 2, 3, 4, 5, 6);
        near(new float[] {3.5f}, eval(v -> v[0].sum().div(v[0].size().cast(DType.FLOAT32)), m));
        assertArrayEquals(new long[] {6}, eval(v -> v[0].size(), m).longs());
    }
}
