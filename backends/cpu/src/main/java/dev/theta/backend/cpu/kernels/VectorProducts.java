package dev.theta.backend.cpu.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row-major C[m, n] = A[m, k] · B[k, n] on heap arrays, by the vector API, for products with few columns (n a whole
 * number of vectors, a few of them) and a short k: the 16 products of a {@link Winograd} kernel's chunk,
 * [n·tiles, C] · [C, O]. OpenBLAS multiplies them no faster (137 GFLOP/s on one AVX-512 core against 121–136 here,
 * docs/benchmarks.md), but needs them off-heap: copying the transformed tiles out and the products back took as long
 * as a fifth of the products.
 *
 * <p>Register blocks: 4 rows × 4 vectors of columns where n allows, else 8 rows × 2 vectors, and one row × one vector
 * for what is left; each holds its sums in 16 vector registers (AVX-512 has 32, AVX2 16, where the blocks spill a
 * little). Every element of C is one chain of fused multiply-adds over k in order from zero, whichever block computes
 * it: the same bits whatever the vector width or blocking.
 */
final class VectorProducts {
    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;

    private VectorProducts() {
    }

    /**
     * C at {@code c[co]} = A at {@code a[ao]} · B at {@code b[bo]}, all dense row-major; n must be a multiple of
     * {@link Winograd#padded}'s vector length.
     */
    static void multiply(float[] a, int ao, int m, int k, float[] b, int bo, int n, float[] c, int co) {
        int lanes = LANES.length();
        int j = 0;
        for (; j + 4 * lanes <= n; j += 4 * lanes) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                block4x4(a, ao + i * k, k, b, bo + j, n, c, co + i * n + j);
            }
            rows(a, ao, i, m, k, b, bo, n, c, co, j, j + 4 * lanes);
        }
        for (; j + 2 * lanes <= n; j += 2 * lanes) {
            int i = 0;
            for (; i + 8 <= m; i += 8) {
                block8x2(a, ao + i * k, k, b, bo + j, n, c, co + i * n + j);
            }
            rows(a, ao, i, m, k, b, bo, n, c, co, j, j + 2 * lanes);
        }
        if (j < n) {
            rows(a, ao, 0, m, k, b, bo, n, c, co, j, n);
        }
    }

    /** Rows [i0, m) of C in columns [j0, j1), a vector at a time. */
    private static void rows(float[] a, int ao, int i0, int m, int k, float[] b, int bo, int n, float[] c, int co,
                             int j0, int j1) {
        int lanes = LANES.length();
        for (int i = i0; i < m; i++) {
            int ai = ao + i * k;
            for (int j = j0; j < j1; j += lanes) {
                FloatVector s = FloatVector.zero(LANES);
                for (int p = 0; p < k; p++) {
                    s = FloatVector.fromArray(LANES, b, bo + p * n + j).fma(FloatVector.broadcast(LANES, a[ai + p]), s);
                }
                s.intoArray(c, co + i * n + j);
            }
        }
    }

    /** 4 rows of A from {@code a[ai]} times 4 vectors of B's columns from {@code b[bj]}, into C from {@code c[o]}. */
    private static void block4x4(float[] a, int ai, int k, float[] b, int bj, int n, float[] c, int o) {
        int lanes = LANES.length();
        FloatVector c00 = FloatVector.zero(LANES);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        FloatVector c33 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * n;
            FloatVector b0 = FloatVector.fromArray(LANES, b, bp);
            FloatVector b1 = FloatVector.fromArray(LANES, b, bp + lanes);
            FloatVector b2 = FloatVector.fromArray(LANES, b, bp + 2 * lanes);
            FloatVector b3 = FloatVector.fromArray(LANES, b, bp + 3 * lanes);
            FloatVector x = FloatVector.broadcast(LANES, a[ai + p]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            c02 = b2.fma(x, c02);
            c03 = b3.fma(x, c03);
            x = FloatVector.broadcast(LANES, a[ai + k + p]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            c12 = b2.fma(x, c12);
            c13 = b3.fma(x, c13);
            x = FloatVector.broadcast(LANES, a[ai + 2 * k + p]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            c22 = b2.fma(x, c22);
            c23 = b3.fma(x, c23);
            x = FloatVector.broadcast(LANES, a[ai + 3 * k + p]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            c32 = b2.fma(x, c32);
            c33 = b3.fma(x, c33);
        }
        store4(c00, c01, c02, c03, c, o);
        store4(c10, c11, c12, c13, c, o + n);
        store4(c20, c21, c22, c23, c, o + 2 * n);
        store4(c30, c31, c32, c33, c, o + 3 * n);
    }

    private static void store4(FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3, float[] c, int o) {
        int lanes = LANES.length();
        s0.intoArray(c, o);
        s1.intoArray(c, o + lanes);
        s2.intoArray(c, o + 2 * lanes);
        s3.intoArray(c, o + 3 * lanes);
    }

    /** 8 rows of A from {@code a[ai]} times 2 vectors of B's columns from {@code b[bj]}, into C from {@code c[o]}. */
    private static void block8x2(float[] a, int ai, int k, float[] b, int bj, int n, float[] c, int o) {
        int lanes = LANES.length();
        FloatVector c00 = FloatVector.zero(LANES);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        FloatVector c60 = c00;
        FloatVector c61 = c00;
        FloatVector c70 = c00;
        FloatVector c71 = c00;
        for (int p = 0; p < k; p++) {
            int bp = bj + p * n;
            FloatVector b0 = FloatVector.fromArray(LANES, b, bp);
            FloatVector b1 = FloatVector.fromArray(LANES, b, bp + lanes);
            int q = ai + p;
            FloatVector x = FloatVector.broadcast(LANES, a[q]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(LANES, a[q + k]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(LANES, a[q + 2 * k]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(LANES, a[q + 3 * k]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(LANES, a[q + 4 * k]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(LANES, a[q + 5 * k]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(LANES, a[q + 6 * k]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(LANES, a[q + 7 * k]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
        }
        store2(c00, c01, c, o);
        store2(c10, c11, c, o + n);
        store2(c20, c21, c, o + 2 * n);
        store2(c30, c31, c, o + 3 * n);
        store2(c40, c41, c, o + 4 * n);
        store2(c50, c51, c, o + 5 * n);
        store2(c60, c61, c, o + 6 * n);
        store2(c70, c71, c, o + 7 * n);
    }

    private static void store2(FloatVector s0, FloatVector s1, float[] c, int o) {
        s0.intoArray(c, o);
        s1.intoArray(c, o + LANES.length());
    }
}
