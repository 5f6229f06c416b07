package dev.theta.backend.cpu.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float loops of the transcendental functions that C2 leaves scalar, on the vector API (load only where
 * {@link VectorApi#AVAILABLE}): a scalar {@code (float) Math.exp(x)} costs ~5 ns an element, {@link Erf#erf} ~10 ns,
 * these ~0.5–1 ns.
 * <p>
 * Every result here is the same bits whether the vector code runs interpreted, C1- or C2-compiled: the loops use
 * only lane-wise add, multiply, fused multiply-add, comparisons, blends, integer shifts and exact conversions, each
 * of which IEEE 754 fixes. Not the vector API's {@code EXP} (C2 backs it with SVML's intrinsics, the interpreter with
 * {@code Math.exp} per lane) nor {@code reduceLanes(ADD)} (its order is unspecified and differs between the two): with
 * them a seeded run changed in its last digits from one JVM to the next, as the JIT compiled the loop sooner or later.
 * <ul>
 *   <li>{@link #exp}: float lanes, Cephes' {@code expf} (range reduction by ln 2 in two parts, a degree-7 polynomial,
 *       scaling by 2ⁿ in two steps so that results below the normal range round once into denormals); within 2
 *       ulps of exp (VectorExpTest).</li>
 *   <li>{@link #erf}: {@link Erf}'s two formulas in double lanes, both computed and selected by |x| < 1, then
 *       rounded once: the same accuracy as {@link Erf#erf} (the series sums with fused multiply-adds; the tail's exp
 *       is {@link #expLanes(DoubleVector)}, a degree-12 polynomial after the same reduction, within ~1 double ulp).</li>
 *   <li>{@link #softmaxRow}: a row's maximum, its sum of exp(x − max) in float lanes added in lane order, then the
 *       row.</li>
 * </ul>
 */
final class VectorMath {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    /** Floats that widen to one vector of doubles. */
    private static final VectorSpecies<Float> HALF_FLOATS = VectorSpecies.of(float.class,
            VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));

    /** {@link Erf}'s series coefficients, lowest power first. */
    private static final double[] SERIES_LOW_FIRST = new double[Erf.SERIES.length];

    static {
        for (int i = 0; i < SERIES_LOW_FIRST.length; i++) {
            SERIES_LOW_FIRST[i] = Erf.SERIES[Erf.SERIES.length - 1 - i];
        }
    }

    private VectorMath() {
    }

    /** Floats in one vector. */
    static int lanes() {
        return FLOATS.length();
    }

    /**
     * The sum of x[from, from + n): four vectors of float partial sums (each lane adds n / (4 · lanes) elements),
     * their lanes then added in double in lane order, with the tail. {@code lanes} holds one vector.
     */
    static double sum(float[] x, int from, int n, float[] lanes) {
        int l = FLOATS.length();
        FloatVector a0 = FloatVector.zero(FLOATS);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int i = 0;
        for (; i + 4 * l <= n; i += 4 * l) {
            a0 = a0.add(FloatVector.fromArray(FLOATS, x, from + i));
            a1 = a1.add(FloatVector.fromArray(FLOATS, x, from + i + l));
            a2 = a2.add(FloatVector.fromArray(FLOATS, x, from + i + 2 * l));
            a3 = a3.add(FloatVector.fromArray(FLOATS, x, from + i + 3 * l));
        }
        for (; i + l <= n; i += l) {
            a0 = a0.add(FloatVector.fromArray(FLOATS, x, from + i));
        }
        a0.add(a1).add(a2.add(a3)).intoArray(lanes, 0);
        double s = 0;
        for (int k = 0; k < l; k++) {
            s += lanes[k];
        }
        for (; i < n; i++) {
            s += x[from + i];
        }
        return s;
    }

    static void exp(float[] x, float[] y, int off, int n) {
        int i = 0;
        for (int end = FLOATS.loopBound(n); i < end; i += FLOATS.length()) {
            expLanes(FloatVector.fromArray(FLOATS, x, off + i)).intoArray(y, off + i);
        }
        for (; i < n; i++) {
            y[off + i] = (float) Math.exp(x[off + i]);
        }
    }

    static void erf(float[] x, float[] y, int off, int n) {
        int i = 0;
        for (int end = HALF_FLOATS.loopBound(n); i < end; i += HALF_FLOATS.length()) {
            // One method body, no helper: a vector passed to a method C2 does not inline is boxed on the heap.
            DoubleVector v = (DoubleVector) FloatVector.fromArray(HALF_FLOATS, x, off + i)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector z = v.abs();
            DoubleVector x2 = v.mul(v);
            DoubleVector series = series(x2).mul(v);
            DoubleVector t = DoubleVector.broadcast(DOUBLES, 1).div(z.fma(0.5, 1));
            DoubleVector p = DoubleVector.zero(DOUBLES);
            for (double c : Erf.ERFC) {
                p = p.fma(t, DoubleVector.broadcast(DOUBLES, c));
            }
            DoubleVector erfc = t.mul(expLanes(z.mul(z).neg().add(p)));
            DoubleVector tail = erfc.neg().add(1);
            tail = tail.blend(tail.neg(), v.compare(VectorOperators.LT, 0));
            DoubleVector erf = tail.blend(series, z.compare(VectorOperators.LT, 1));
            ((FloatVector) erf.convertShape(VectorOperators.D2F, HALF_FLOATS, 0)).intoArray(y, off + i);
        }
        for (; i < n; i++) {
            y[off + i] = Erf.erf(x[off + i]);
        }
    }

    /**
     * Erf's series in x² by Estrin's scheme: pairs of coefficients, then pairs of pairs with y², y⁴, y⁸, so the
     * dependent chain is 5 operations deep instead of Horner's 14 (one vector in flight waited on each fused
     * multiply-add: 2.3 ns an element).
     */
    private static DoubleVector series(DoubleVector y) {
        double[] a = SERIES_LOW_FIRST;
        DoubleVector y2 = y.mul(y);
        DoubleVector y4 = y2.mul(y2);
        DoubleVector c0 = y.fma(a[3], a[2]).fma(y2, y.fma(a[1], a[0]));
        DoubleVector c1 = y.fma(a[7], a[6]).fma(y2, y.fma(a[5], a[4]));
        DoubleVector c2 = y.fma(a[11], a[10]).fma(y2, y.fma(a[9], a[8]));
        DoubleVector c3 = y.fma(a[13], a[12]);
        return c3.fma(y4, c2).fma(y4.mul(y4), c1.fma(y4, c0));
    }

    // Cephes expf: ln 2 = C1 + C2, C1 with few bits so that n·C1 is exact; the polynomial's coefficients.
    private static final float LOG2E_F = 1.44269504088896341f;
    private static final float C1_F = 0.693359375f;
    private static final float C2_F = -2.12194440e-4f;
    private static final float[] EXP_F = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f, 4.1665795894e-2f,
        1.6666665459e-1f, 5.0000001201e-1f};
    /** exp overflows above ln(Float.MAX_VALUE); below −104 it is under half the least denormal. */
    private static final float MAX_F = 88.72283935546875f;
    private static final float MIN_F = -104f;

    /**
     * e^x lane by lane: x = n·ln 2 + r with n = round(x·log₂e) and |r| ≲ ln 2 / 2, e^r by the polynomial, times 2ⁿ
     * as 2^⌊n/2⌋ · 2^(n − ⌊n/2⌋), two exact scalings of which only the last can round (into the denormals).
     */
    static FloatVector expLanes(FloatVector x) {
        FloatVector clamped = x.max(MIN_F).min(MAX_F);
        // round(x·log₂e) by adding 1.5·2²³, which leaves an integer in the low mantissa bits; subtracting it back is exact.
        FloatVector n = clamped.mul(LOG2E_F).add(12582912f).sub(12582912f);
        // n·C1 is exact (C1 has 9 significant bits, n at most 8), so one rounding either way.
        FloatVector r = clamped.sub(n.mul(C1_F));
        r = n.fma(FloatVector.broadcast(FLOATS, -C2_F), r);
        FloatVector p = FloatVector.broadcast(FLOATS, EXP_F[0]);
        for (int c = 1; c < EXP_F.length; c++) {
            p = p.fma(r, FloatVector.broadcast(FLOATS, EXP_F[c]));
        }
        FloatVector y = p.mul(r.mul(r)).add(r).add(1f);
        IntVector k = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector half = k.lanewise(VectorOperators.ASHR, 1);
        FloatVector first = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector second = k.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        y = y.mul(first).mul(second);
        y = y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, MAX_F));
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }

    private static final double LOG2E = 1.4426950408889634;
    // fdlibm's split of ln 2: LN2_HI has its low 32 bits zero, so n·LN2_HI is exact for |n| < 2^20.
    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1/k! for k = 12 down to 2: e^r = 1 + r + r²·(1/2! + r/3! + ...), the truncation under 2e-16 for |r| ≤ 0.35. */
    private static final double[] EXP_D = new double[11];

    static {
        double factorial = 1;
        for (int k = 2; k <= 12; k++) {
            factorial *= k;
            EXP_D[12 - k] = 1 / factorial;
        }
    }

    private static final double ROUNDING = 6755399441055744.0;
    private static final long ROUNDING_BITS = Double.doubleToRawLongBits(ROUNDING);

    /** e^x in double lanes, as {@link #expLanes(FloatVector)} with a longer polynomial and 2⁵²-based rounding. */
    static DoubleVector expLanes(DoubleVector x) {
        DoubleVector clamped = x.max(-746).min(710);
        // round(x·log₂e) by adding 1.5·2⁵², which leaves n + 2⁵¹ in the low mantissa bits: the integer is read from
        // the bits, not by a D2L conversion, which AVX2 lacks (the vector API then ran it lane by lane: GELU's forward
        // took 35 ns an element).
        DoubleVector shifted = clamped.mul(LOG2E).add(ROUNDING);
        DoubleVector n = shifted.sub(ROUNDING);
        DoubleVector r = clamped.sub(n.mul(LN2_HI));
        r = n.fma(DoubleVector.broadcast(DOUBLES, -LN2_LO), r);
        DoubleVector p = DoubleVector.broadcast(DOUBLES, EXP_D[0]);
        for (int c = 1; c < EXP_D.length; c++) {
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, EXP_D[c]));
        }
        DoubleVector y = p.mul(r.mul(r)).add(r).add(1);
        // ⌊n/2⌋ the same way (n/2 − 1/4 is exact and rounds to it), so no 64-bit arithmetic shift, which AVX2 lacks.
        LongVector k = shifted.reinterpretAsLongs();
        LongVector half = n.fma(0.5, -0.25).add(ROUNDING).reinterpretAsLongs();
        DoubleVector first = half.sub(ROUNDING_BITS - 1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        DoubleVector second = k.sub(half).add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        y = y.mul(first).mul(second);
        y = y.blend(Double.POSITIVE_INFINITY, x.compare(VectorOperators.GT, 709.782712893384));
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** Softmax (or log softmax) of {@code x[base, base + length)} into the same positions of {@code y}. */
    static void softmaxRow(float[] x, float[] y, int base, int length, boolean log) {
        int end = FLOATS.loopBound(length);
        float max = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (end > 0) {
            FloatVector m = FloatVector.fromArray(FLOATS, x, base);
            for (i = FLOATS.length(); i < end; i += FLOATS.length()) {
                m = m.max(FloatVector.fromArray(FLOATS, x, base + i));
            }
            max = m.reduceLanes(VectorOperators.MAX);
        }
        for (; i < length; i++) {
            max = Math.max(max, x[base + i]);
        }
        FloatVector sums = FloatVector.zero(FLOATS);
        for (i = 0; i < end; i += FLOATS.length()) {
            FloatVector e = expLanes(FloatVector.fromArray(FLOATS, x, base + i).sub(max));
            sums = sums.add(e);
            if (!log) {
                e.intoArray(y, base + i);
            }
        }
        float sum = 0f;
        for (int lane = 0; lane < FLOATS.length(); lane++) {
            sum += sums.lane(lane);
        }
        for (; i < length; i++) {
            float e = (float) Math.exp(x[base + i] - max);
            sum += e;
            if (!log) {
                y[base + i] = e;
            }
        }
        if (log) {
            // x − max is exact for the largest entries, so the shift is rounded apart from it.
            float logSum = (float) Math.log(sum);
            for (i = 0; i < end; i += FLOATS.length()) {
                FloatVector.fromArray(FLOATS, x, base + i).sub(max).sub(logSum).intoArray(y, base + i);
            }
            for (; i < length; i++) {
                y[base + i] = x[base + i] - max - logSum;
            }
        } else {
            float inverse = 1 / sum;
            for (i = 0; i < end; i += FLOATS.length()) {
                FloatVector.fromArray(FLOATS, y, base + i).mul(inverse).intoArray(y, base + i);
            }
            for (; i < length; i++) {
                y[base + i] *= inverse;
            }
        }
    }
}
