package dev.theta.backend.cpu.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float loops of the transcendental functions that C2 leaves scalar, on the vector API (load only where
 * {@link VectorApi#AVAILABLE}). On x86 the JDK backs the vector API's EXP with its SVML intrinsics: a scalar
 * {@code (float) Math.exp(x)} costs ~5 ns an element, {@link Erf#erf} ~10 ns, these ~0.5–1 ns.
 * <ul>
 *   <li>{@link #exp}: float lanes; within 1 ulp of exp (SVML's bound), where the scalar path rounds a double exp.</li>
 *   <li>{@link #erf}: {@link Erf}'s two formulas in double lanes, both computed and selected by |x| < 1, then
 *       rounded once: the same accuracy as {@link Erf#erf} (the series sums with fused multiply-adds).</li>
 *   <li>{@link #softmaxRow}: a row's maximum, its sum of exp(x − max) in float lanes, then the row.</li>
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

    static void exp(float[] x, float[] y, int off, int n) {
        int i = 0;
        for (int end = FLOATS.loopBound(n); i < end; i += FLOATS.length()) {
            FloatVector.fromArray(FLOATS, x, off + i).lanewise(VectorOperators.EXP).intoArray(y, off + i);
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
            DoubleVector erfc = t.mul(z.mul(z).neg().add(p).lanewise(VectorOperators.EXP));
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
            FloatVector e = FloatVector.fromArray(FLOATS, x, base + i).sub(max).lanewise(VectorOperators.EXP);
            sums = sums.add(e);
            if (!log) {
                e.intoArray(y, base + i);
            }
        }
        float sum = sums.reduceLanes(VectorOperators.ADD);
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
