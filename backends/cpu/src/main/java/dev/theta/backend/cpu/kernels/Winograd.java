package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks",
 * 2016): a 2×2 tile of a 3×3 convolution's output is Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A, for the tile's 4×4 input patch d
 * and the kernel g: 16 multiplications instead of 36. Summed over input channels, the 16 element-wise products are 16
 * matrix products (one per point ξ of the 4×4 transformed tile), which is where a convolution's time goes; the
 * transforms are additions.
 *
 * <p>The same identity, differentiated, gives the input gradient with the same products: for the tile's output
 * gradient e, transformed as A e Aᵀ, the input patch's gradient is B [(A e Aᵀ) ⊙ (G g Gᵀ)] Bᵀ, added into the
 * overlapping patches. Being an identity, not an approximation, the results are exact up to float rounding (checked
 * against the float64 reference in {@code WinogradTest}). The kernel's gradient, Gᵀ [(A e Aᵀ) ⊙ (Bᵀ d B)] G summed
 * over tiles, is not computed this way: its rounding made adaptive optimizers' steps depart from ONNX Runtime's
 * (docs/decisions.md, "Convolutions").
 *
 * <p>The tile transforms work on images laid out channels last ([rows, columns, channels], the channels padded to
 * whole vectors, {@link #padded}) and transform every channel of a tile at once, a vector of channels per operation;
 * point ξ of a tile's channel c lives at {@code to + ξ·stride + c}, so that each point's values form one matrix of
 * the product with the channels as its contiguous rows. Additions and subtractions only, lane by lane: the same bits
 * whatever the vector width.
 */
final class Winograd {
    /** Points of a transformed tile. */
    static final int POINTS = 16;
    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;
    private static final float HALF = 0.5f;

    private Winograd() {
    }

    /** Whether the window is the one F(2×2, 3×3)'s tiles assume: stride and dilation 1 on both axes. */
    static boolean unitSteps(Window window) {
        return window.strideH() == 1 && window.strideW() == 1 && window.undilated();
    }

    /** Tiles of 2 along an axis of {@code size} outputs. */
    static int tiles(int size) {
        return (size + 1) / 2;
    }

    /** {@code channels} rounded up to whole vectors: the channel stride of channels-last images and of the products. */
    static int padded(int channels) {
        int lanes = LANES.length();
        return (channels + lanes - 1) / lanes * lanes;
    }

    /** G g Gᵀ of the 3×3 kernel at {@code g[at]}, point ξ to {@code u[to + ξ·stride]}. */
    static void kernel(float[] g, int at, float[] u, int to, int stride) {
        // G g: each column (a, b, c) becomes (a, (a + b + c) / 2, (a − b + c) / 2, c).
        float a0 = g[at];
        float a1 = g[at + 1];
        float a2 = g[at + 2];
        float d0 = g[at + 6];
        float d1 = g[at + 7];
        float d2 = g[at + 8];
        float s0 = HALF * (a0 + g[at + 3] + d0);
        float s1 = HALF * (a1 + g[at + 4] + d1);
        float s2 = HALF * (a2 + g[at + 5] + d2);
        float t0 = HALF * (a0 - g[at + 3] + d0);
        float t1 = HALF * (a1 - g[at + 4] + d1);
        float t2 = HALF * (a2 - g[at + 5] + d2);
        // (G g) Gᵀ: the same along each row.
        kernelRow(a0, a1, a2, u, to, stride);
        kernelRow(s0, s1, s2, u, to + 4 * stride, stride);
        kernelRow(t0, t1, t2, u, to + 8 * stride, stride);
        kernelRow(d0, d1, d2, u, to + 12 * stride, stride);
    }

    private static void kernelRow(float a, float b, float c, float[] u, int to, int stride) {
        u[to] = a;
        u[to + stride] = HALF * (a + b + c);
        u[to + 2 * stride] = HALF * (a - b + c);
        u[to + 3 * stride] = c;
    }

    private static FloatVector at(float[] a, int i) {
        return FloatVector.fromArray(LANES, a, i);
    }

    /**
     * Bᵀ d B of the 4×4 patch whose corner is at {@code p[at]} in a channels-last image (rows {@code row} apart,
     * pixels {@code step} apart, {@code step} channels each), every channel: point ξ to {@code v[to + ξ·stride]}.
     */
    static void input(float[] p, int at, int row, int step, float[] v, int to, int stride) {
        int r1 = at + row;
        int r2 = r1 + row;
        int r3 = r2 + row;
        int q2 = 2 * step;
        int q3 = 3 * step;
        for (int c = 0; c < step; c += LANES.length()) {
            // d B: each row (d0, d1, d2, d3) becomes (d0 − d2, d1 + d2, d2 − d1, d1 − d3).
            FloatVector x1 = at(p, at + step + c);
            FloatVector x2 = at(p, at + q2 + c);
            FloatVector a0 = at(p, at + c).sub(x2);
            FloatVector a1 = x1.add(x2);
            FloatVector a2 = x2.sub(x1);
            FloatVector a3 = x1.sub(at(p, at + q3 + c));
            x1 = at(p, r1 + step + c);
            x2 = at(p, r1 + q2 + c);
            FloatVector b0 = at(p, r1 + c).sub(x2);
            FloatVector b1 = x1.add(x2);
            FloatVector b2 = x2.sub(x1);
            FloatVector b3 = x1.sub(at(p, r1 + q3 + c));
            x1 = at(p, r2 + step + c);
            x2 = at(p, r2 + q2 + c);
            FloatVector c0 = at(p, r2 + c).sub(x2);
            FloatVector c1 = x1.add(x2);
            FloatVector c2 = x2.sub(x1);
            FloatVector c3 = x1.sub(at(p, r2 + q3 + c));
            x1 = at(p, r3 + step + c);
            x2 = at(p, r3 + q2 + c);
            FloatVector d0 = at(p, r3 + c).sub(x2);
            FloatVector d1 = x1.add(x2);
            FloatVector d2 = x2.sub(x1);
            FloatVector d3 = x1.sub(at(p, r3 + q3 + c));
            // Bᵀ (d B): the same down each column.
            int o = to + c;
            a0.sub(c0).intoArray(v, o);
            a1.sub(c1).intoArray(v, o + stride);
            a2.sub(c2).intoArray(v, o + 2 * stride);
            a3.sub(c3).intoArray(v, o + 3 * stride);
            b0.add(c0).intoArray(v, o + 4 * stride);
            b1.add(c1).intoArray(v, o + 5 * stride);
            b2.add(c2).intoArray(v, o + 6 * stride);
            b3.add(c3).intoArray(v, o + 7 * stride);
            c0.sub(b0).intoArray(v, o + 8 * stride);
            c1.sub(b1).intoArray(v, o + 9 * stride);
            c2.sub(b2).intoArray(v, o + 10 * stride);
            c3.sub(b3).intoArray(v, o + 11 * stride);
            b0.sub(d0).intoArray(v, o + 12 * stride);
            b1.sub(d1).intoArray(v, o + 13 * stride);
            b2.sub(d2).intoArray(v, o + 14 * stride);
            b3.sub(d3).intoArray(v, o + 15 * stride);
        }
    }

    /**
     * Aᵀ m A of the transformed tile at {@code m[from + ξ·stride]}, every one of {@code step} channels: the 2×2 output
     * tile, written with its corner at {@code y[at]} in a channels-last image (rows {@code row} apart).
     */
    static void output(float[] m, int from, int stride, float[] y, int at, int row, int step) {
        for (int c = 0; c < step; c += LANES.length()) {
            int f = from + c;
            // m A: each row (m0, m1, m2, m3) becomes (m0 + m1 + m2, m1 − m2 − m3).
            FloatVector x1 = at(m, f + stride);
            FloatVector x2 = at(m, f + 2 * stride);
            FloatVector a0 = at(m, f).add(x1).add(x2);
            FloatVector a1 = x1.sub(x2).sub(at(m, f + 3 * stride));
            f += 4 * stride;
            x1 = at(m, f + stride);
            x2 = at(m, f + 2 * stride);
            FloatVector b0 = at(m, f).add(x1).add(x2);
            FloatVector b1 = x1.sub(x2).sub(at(m, f + 3 * stride));
            f += 4 * stride;
            x1 = at(m, f + stride);
            x2 = at(m, f + 2 * stride);
            FloatVector c0 = at(m, f).add(x1).add(x2);
            FloatVector c1 = x1.sub(x2).sub(at(m, f + 3 * stride));
            f += 4 * stride;
            x1 = at(m, f + stride);
            x2 = at(m, f + 2 * stride);
            FloatVector d0 = at(m, f).add(x1).add(x2);
            FloatVector d1 = x1.sub(x2).sub(at(m, f + 3 * stride));
            // Aᵀ (m A): the same down each column.
            int o = at + c;
            a0.add(b0).add(c0).intoArray(y, o);
            a1.add(b1).add(c1).intoArray(y, o + step);
            b0.sub(c0).sub(d0).intoArray(y, o + row);
            b1.sub(c1).sub(d1).intoArray(y, o + row + step);
        }
    }

    /**
     * A e Aᵀ of the 2×2 output-gradient tile whose corner is at {@code e[at]} in a channels-last image (rows
     * {@code row} apart, {@code step} channels per pixel), every channel: point ξ to {@code t[to + ξ·stride]}.
     */
    static void outputGradient(float[] e, int at, int row, int step, float[] t, int to, int stride) {
        for (int c = 0; c < step; c += LANES.length()) {
            FloatVector e00 = at(e, at + c);
            FloatVector e01 = at(e, at + step + c);
            FloatVector e10 = at(e, at + row + c);
            FloatVector e11 = at(e, at + row + step + c);
            // A e: the rows (e0·), (e0· + e1·), (e0· − e1·), (−e1·); then each row (p, q) becomes (p, p + q, p − q, −q).
            int o = to + c;
            gradientRow(e00, e01, t, o, stride);
            gradientRow(e00.add(e10), e01.add(e11), t, o + 4 * stride, stride);
            gradientRow(e00.sub(e10), e01.sub(e11), t, o + 8 * stride, stride);
            gradientRow(e10.neg(), e11.neg(), t, o + 12 * stride, stride);
        }
    }

    private static void gradientRow(FloatVector p, FloatVector q, float[] t, int to, int stride) {
        p.intoArray(t, to);
        p.add(q).intoArray(t, to + stride);
        p.sub(q).intoArray(t, to + 2 * stride);
        q.neg().intoArray(t, to + 3 * stride);
    }

    /** Floats of the scratch {@link #addInputGradient} needs. */
    static int gradientScratch() {
        return POINTS * LANES.length();
    }

    /**
     * B r Bᵀ of the transformed tile at {@code r[from + ξ·stride]}, every one of {@code step} channels, added into the
     * 4×4 patch whose corner is at {@code p[at]} in a channels-last image (rows {@code row} apart); {@code scratch}
     * holds {@link #gradientScratch} floats between the two halves. In two methods: C2 turns vector operations into
     * instructions only in the methods it inlines them into, and one method with all 16 points' operations is past
     * its inlining budget (its vectors were then objects, allocated per operation).
     */
    static void addInputGradient(float[] r, int from, int stride, float[] p, int at, int row, int step,
                                 float[] scratch) {
        for (int c = 0; c < step; c += LANES.length()) {
            gradientRows(r, from + c, stride, scratch);
            addGradientColumns(scratch, p, at + c, row, step);
        }
    }

    /** r Bᵀ: each row (r0, r1, r2, r3) of the tile becomes (r0, r1 − r2 + r3, r1 + r2 − r0, −r3), into scratch. */
    private static void gradientRows(float[] r, int from, int stride, float[] scratch) {
        int lanes = LANES.length();
        for (int i = 0; i < 4; i++) {
            int f = from + 4 * i * stride;
            FloatVector x0 = at(r, f);
            FloatVector x1 = at(r, f + stride);
            FloatVector x2 = at(r, f + 2 * stride);
            FloatVector x3 = at(r, f + 3 * stride);
            int o = 4 * i * lanes;
            x0.intoArray(scratch, o);
            x1.sub(x2).add(x3).intoArray(scratch, o + lanes);
            x1.add(x2).sub(x0).intoArray(scratch, o + 2 * lanes);
            x3.neg().intoArray(scratch, o + 3 * lanes);
        }
    }

    /** B (r Bᵀ): rows (a, b − c + d, b + c − a, −d) of the scratch's rows a, b, c, d, added into the patch. */
    private static void addGradientColumns(float[] scratch, float[] p, int at, int row, int step) {
        int lanes = LANES.length();
        for (int j = 0; j < 4; j++) {
            FloatVector a = at(scratch, j * lanes);
            FloatVector b = at(scratch, (4 + j) * lanes);
            FloatVector c = at(scratch, (8 + j) * lanes);
            FloatVector d = at(scratch, (12 + j) * lanes);
            int q = at + j * step;
            add(p, q, a);
            add(p, q + row, b.sub(c).add(d));
            add(p, q + 2 * row, b.add(c).sub(a));
            add(p, q + 3 * row, d.neg());
        }
    }

    private static void add(float[] p, int i, FloatVector v) {
        at(p, i).add(v).intoArray(p, i);
    }
}
