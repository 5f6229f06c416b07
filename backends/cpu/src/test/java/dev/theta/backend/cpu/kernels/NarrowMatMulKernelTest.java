package dev.theta.backend.cpu.kernels;

import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The vector API product against a double-precision reference, on shapes that exercise every block and tail. */
class NarrowMatMulKernelTest {
    private static final int[] ROWS = {1, 2, 3, 15, 16, 17, 33};
    private static final int[] DEPTHS = {0, 1, 7, 8, 9, 31, 100};

    @Test
    void theBuildRunsTestsWithTheVectorApi() {
        assertTrue(NarrowProducts.AVAILABLE,
                "tests must run with --add-modules jdk.incubator.vector (the parent pom's surefire argLine)");
    }

    @Test
    void smallShapesMatchTheReference() {
        Random random = new Random(7);
        for (boolean transA : new boolean[] {false, true}) {
            for (int m : ROWS) {
                for (int k : DEPTHS) {
                    for (int n = 1; n <= NarrowProducts.MAX_COLUMNS; n++) {
                        check(random, transA, m, n, k);
                    }
                }
            }
        }
    }

    @Test
    void trainingShapesMatchTheReference() {
        Random random = new Random(11);
        for (boolean transA : new boolean[] {false, true}) {
            for (int n : new int[] {1, 5, 10, 16}) {
                check(random, transA, 128, n, 784);
                check(random, transA, 784, n, 128);
                check(random, transA, 256, n, 128);
            }
        }
    }

    /** Runs twice: the second run must not depend on what the first left in the kernel's scratch. */
    @Test
    void resultsAreTheSameBitsEveryRun() {
        Random random = new Random(3);
        for (boolean transA : new boolean[] {false, true}) {
            int m = transA ? 784 : 128;
            int k = transA ? 128 : 784;
            float[] a = values(random, m * k);
            float[] b = values(random, k * 10);
            float[] first = product(transA, a, b, m, 10, k);
            product(transA, values(random, a.length), values(random, b.length), m, 10, k);
            assertArrayEquals(first, product(transA, a, b, m, 10, k));
        }
    }

    private static void check(Random random, boolean transA, int m, int n, int k) {
        float[] a = values(random, m * k);
        float[] b = values(random, k * n);
        float[] c = product(transA, a, b, m, n, k);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = 0;
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    double term = (double) (transA ? a[p * m + i] : a[i * k + p]) * b[p * n + j];
                    exact += term;
                    magnitude += Math.abs(term);
                }
                // The worst-case bound of float summation: k roundings, each at most one unit in the last place.
                double bound = (k + 2) * Math.ulp(1f) * magnitude;
                if (!(Math.abs(c[i * n + j] - exact) <= bound)) {
                    fail(String.format("%s m=%d n=%d k=%d: C[%d, %d] = %s, reference %s (bound %s)",
                            transA ? "A^T" : "A", m, n, k, i, j, c[i * n + j], exact, bound));
                }
            }
        }
    }

    /** C[m, n] = op(A) · B, with {@code a} holding A [m, k] or, transposed, [k, m]. */
    private static float[] product(boolean transA, float[] a, float[] b, int m, int n, int k) {
        Buf out = Buf.zeros(DType.FLOAT32, Shape.of(m, n));
        Buf left = Buf.of(Tensor.of(transA ? Shape.of(k, m) : Shape.of(m, k), a));
        Buf right = Buf.of(Tensor.of(Shape.of(k, n), b));
        new NarrowMatMulKernel(left, transA, right, out, m, n, k).run();
        return out.floats().clone();
    }

    private static float[] values(Random random, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }
}
