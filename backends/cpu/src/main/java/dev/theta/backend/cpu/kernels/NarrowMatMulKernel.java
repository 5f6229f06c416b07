package dev.theta.backend.cpu.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C[m, n] = op(A) · B for few output columns ({@link NarrowProducts} decides which products), with vector registers
 * straight on the heap arrays: no off-heap copy, no packing. Two loop orders, each keeping ten accumulators in
 * registers:
 * <ul>
 *   <li>A as is ([m, k], e.g. x · W): every output is a dot product of a row of A and a column of B. B's columns are
 *       first copied into rows (n·k floats) so that both run contiguously. Blocks of 2 rows × 5 columns.</li>
 *   <li>A transposed ({@code a} holds [k, m], e.g. the weight gradient xᵀ · g): the m outputs of one column lie
 *       along a's rows, so each step adds a row of {@code a}, scaled by one element of B, to vector accumulators.
 *       Blocks of 2 vectors × 5 columns, written to a scratch [n, m] and from there, transposed, into C.</li>
 * </ul>
 * Sums run in another order than OpenBLAS's, so results differ from it in the last bits; every multiply-add,
 * vector or scalar, rounds once.
 */
final class NarrowMatMulKernel implements Kernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Output columns per block: 2 × 5 accumulators and their operands fit in AVX2's 16 registers. */
    private static final int BLOCK = 5;

    private final Buf a;
    private final Buf b;
    private final Buf c;
    private final boolean transA;
    private final int m;
    private final int n;
    private final int k;
    /** B's columns as rows ([n, k]) or, with A transposed, C's columns as rows ([n, m]). */
    private final float[] staged;
    private final float[] lanes = new float[LANES];

    NarrowMatMulKernel(Buf a, boolean transA, Buf b, Buf c, int m, int n, int k) {
        this.a = a;
        this.transA = transA;
        this.b = b;
        this.c = c;
        this.m = m;
        this.n = n;
        this.k = k;
        this.staged = new float[Math.max(1, n * (transA ? m : k))];
    }

    @Override
    public String describe() {
        return "MatMul " + m + "x" + k + (transA ? "(T)" : "") + " . " + k + "x" + n + ", vector API, " + LANES
                + " lanes";
    }

    @Override
    public void run() {
        if (transA) {
            columns(a.floats(), b.floats(), c.floats());
        } else {
            rows(a.floats(), b.floats(), c.floats());
        }
    }

    /** C = A · B with A [m, k]. */
    private void rows(float[] x, float[] w, float[] out) {
        float[] wt = staged;
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                wt[j * k + p] = w[p * n + j];
            }
        }
        int i = 0;
        for (; i + 2 <= m; i += 2) {
            int j = 0;
            for (; j + BLOCK <= n; j += BLOCK) {
                dots2x5(x, i * k, wt, j * k, out, i * n + j);
            }
            for (; j < n; j++) {
                out[i * n + j] = dot(x, i * k, wt, j * k);
                out[(i + 1) * n + j] = dot(x, (i + 1) * k, wt, j * k);
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) {
                out[i * n + j] = dot(x, i * k, wt, j * k);
            }
        }
    }

    /** Rows r, r+1 of x (from offset xo) against rows j..j+4 of wt (from wo), into out[o..o+4] and the next row. */
    private void dots2x5(float[] x, int xo, float[] wt, int wo, float[] out, int o) {
        int x1 = xo + k;
        int w1 = wo + k;
        int w2 = w1 + k;
        int w3 = w2 + k;
        int w4 = w3 + k;
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00, s02 = s00, s03 = s00, s04 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00, s14 = s00;
        int kv = SPECIES.loopBound(k);
        for (int p = 0; p < kv; p += LANES) {
            FloatVector r0 = FloatVector.fromArray(SPECIES, x, xo + p);
            FloatVector r1 = FloatVector.fromArray(SPECIES, x, x1 + p);
            FloatVector v = FloatVector.fromArray(SPECIES, wt, wo + p);
            s00 = r0.fma(v, s00);
            s10 = r1.fma(v, s10);
            v = FloatVector.fromArray(SPECIES, wt, w1 + p);
            s01 = r0.fma(v, s01);
            s11 = r1.fma(v, s11);
            v = FloatVector.fromArray(SPECIES, wt, w2 + p);
            s02 = r0.fma(v, s02);
            s12 = r1.fma(v, s12);
            v = FloatVector.fromArray(SPECIES, wt, w3 + p);
            s03 = r0.fma(v, s03);
            s13 = r1.fma(v, s13);
            v = FloatVector.fromArray(SPECIES, wt, w4 + p);
            s04 = r0.fma(v, s04);
            s14 = r1.fma(v, s14);
        }
        int o1 = o + n;
        // Written out ten times rather than through a helper taking the vector, which would receive it boxed.
        s00.intoArray(lanes, 0);
        out[o] = laneSum() + tail(x, xo, wt, wo, kv);
        s01.intoArray(lanes, 0);
        out[o + 1] = laneSum() + tail(x, xo, wt, w1, kv);
        s02.intoArray(lanes, 0);
        out[o + 2] = laneSum() + tail(x, xo, wt, w2, kv);
        s03.intoArray(lanes, 0);
        out[o + 3] = laneSum() + tail(x, xo, wt, w3, kv);
        s04.intoArray(lanes, 0);
        out[o + 4] = laneSum() + tail(x, xo, wt, w4, kv);
        s10.intoArray(lanes, 0);
        out[o1] = laneSum() + tail(x, x1, wt, wo, kv);
        s11.intoArray(lanes, 0);
        out[o1 + 1] = laneSum() + tail(x, x1, wt, w1, kv);
        s12.intoArray(lanes, 0);
        out[o1 + 2] = laneSum() + tail(x, x1, wt, w2, kv);
        s13.intoArray(lanes, 0);
        out[o1 + 3] = laneSum() + tail(x, x1, wt, w3, kv);
        s14.intoArray(lanes, 0);
        out[o1 + 4] = laneSum() + tail(x, x1, wt, w4, kv);
    }

    private float dot(float[] x, int xo, float[] y, int yo) {
        FloatVector s = FloatVector.zero(SPECIES);
        int kv = SPECIES.loopBound(k);
        for (int p = 0; p < kv; p += LANES) {
            s = FloatVector.fromArray(SPECIES, x, xo + p).fma(FloatVector.fromArray(SPECIES, y, yo + p), s);
        }
        s.intoArray(lanes, 0);
        return laneSum() + tail(x, xo, y, yo, kv);
    }

    /**
     * The sum of {@link #lanes}, added in lane order. Not {@code reduceLanes(ADD)}: it may add in any order, and does
     * add in different orders interpreted and compiled, which made seeded runs differ from one another. Vectors never
     * cross a method boundary here: a callee that C2 does not inline (it declines callees it has already compiled
     * to large code) would receive them boxed.
     */
    private float laneSum() {
        float s = 0f;
        for (float x : lanes) {
            s += x;
        }
        return s;
    }

    /** The products of x[xo + p] and y[yo + p] for p in [from, k), past the last whole vector. */
    private float tail(float[] x, int xo, float[] y, int yo, int from) {
        float s = 0f;
        for (int p = from; p < k; p++) {
            s = Math.fma(x[xo + p], y[yo + p], s);
        }
        return s;
    }

    /** C = Aᵀ · B with {@code x} holding A as [k, m]. */
    private void columns(float[] x, float[] g, float[] out) {
        float[] ct = staged;
        int step = 2 * LANES;
        int mv = m - m % step;
        int j = 0;
        for (; j + BLOCK <= n; j += BLOCK) {
            for (int p = 0; p < mv; p += step) {
                axpy5x2(x, g, p, j, ct);
            }
        }
        for (; j < n; j++) {
            for (int p = 0; p < mv; p += step) {
                axpy1x2(x, g, p, j, ct);
            }
        }
        for (int jj = 0; jj < n; jj++) {
            for (int p = mv; p < m; p++) {
                float s = 0f;
                for (int i = 0; i < k; i++) {
                    s = Math.fma(x[i * m + p], g[i * n + jj], s);
                }
                ct[jj * m + p] = s;
            }
        }
        for (int p = 0; p < m; p++) {
            for (int jj = 0; jj < n; jj++) {
                out[p * n + jj] = ct[jj * m + p];
            }
        }
    }

    /** Columns p..p+2·LANES of C for output columns j..j+4: Σ_i x[i, p..] · g[i, j..]. */
    private void axpy5x2(float[] x, float[] g, int p, int j, float[] ct) {
        FloatVector s00 = FloatVector.zero(SPECIES);
        FloatVector s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00, s40 = s00, s41 = s00;
        for (int i = 0; i < k; i++) {
            int xo = i * m + p;
            FloatVector x0 = FloatVector.fromArray(SPECIES, x, xo);
            FloatVector x1 = FloatVector.fromArray(SPECIES, x, xo + LANES);
            int go = i * n + j;
            FloatVector v = FloatVector.broadcast(SPECIES, g[go]);
            s00 = x0.fma(v, s00);
            s01 = x1.fma(v, s01);
            v = FloatVector.broadcast(SPECIES, g[go + 1]);
            s10 = x0.fma(v, s10);
            s11 = x1.fma(v, s11);
            v = FloatVector.broadcast(SPECIES, g[go + 2]);
            s20 = x0.fma(v, s20);
            s21 = x1.fma(v, s21);
            v = FloatVector.broadcast(SPECIES, g[go + 3]);
            s30 = x0.fma(v, s30);
            s31 = x1.fma(v, s31);
            v = FloatVector.broadcast(SPECIES, g[go + 4]);
            s40 = x0.fma(v, s40);
            s41 = x1.fma(v, s41);
        }
        int o = j * m + p;
        s00.intoArray(ct, o);
        s01.intoArray(ct, o + LANES);
        o += m;
        s10.intoArray(ct, o);
        s11.intoArray(ct, o + LANES);
        o += m;
        s20.intoArray(ct, o);
        s21.intoArray(ct, o + LANES);
        o += m;
        s30.intoArray(ct, o);
        s31.intoArray(ct, o + LANES);
        o += m;
        s40.intoArray(ct, o);
        s41.intoArray(ct, o + LANES);
    }

    private void axpy1x2(float[] x, float[] g, int p, int j, float[] ct) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        for (int i = 0; i < k; i++) {
            int xo = i * m + p;
            FloatVector v = FloatVector.broadcast(SPECIES, g[i * n + j]);
            s0 = FloatVector.fromArray(SPECIES, x, xo).fma(v, s0);
            s1 = FloatVector.fromArray(SPECIES, x, xo + LANES).fma(v, s1);
        }
        int o = j * m + p;
        s0.intoArray(ct, o);
        s1.intoArray(ct, o + LANES);
    }
}
