package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.UnaryFn;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 erf against the double reference, scalar ({@link Erf}) and in vector lanes ({@link VectorMath}, the
 * lanes and the scalar tail): over [-8, 8] densely, near zero relatively, and at the limits.
 */
class ErfTest {
    private static float[] erf(boolean vector, float[] x) {
        float[] y = new float[x.length];
        if (vector) {
            assertTrue(VectorApi.AVAILABLE, "the tests run with --add-modules jdk.incubator.vector");
            VectorMath.erf(x, y, 0, x.length);
        } else {
            for (int i = 0; i < x.length; i++) {
                y[i] = Erf.erf(x[i]);
            }
        }
        return y;
    }

    @ParameterizedTest(name = "vector {0}")
    @ValueSource(booleans = {false, true})
    void withinOneTenMillionthEverywhere(boolean vector) {
        float[] x = new float[1_600_001];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i - 800_000) * 1e-5f;
        }
        float[] y = erf(vector, x);
        double worst = 0;
        float at = 0;
        for (int i = 0; i < x.length; i++) {
            double err = Math.abs(y[i] - UnaryFn.ERF.reference(x[i]));
            if (err > worst) {
                worst = err;
                at = x[i];
            }
        }
        assertTrue(worst <= 1e-7, "largest error " + worst + " at x = " + at);
    }

    @ParameterizedTest(name = "vector {0}")
    @ValueSource(booleans = {false, true})
    void fewUlpsRelativeBelowOne(boolean vector) {
        int count = 0;
        for (float x = 1e-30f; x < 1; x *= 1.001f) {
            count += 2;
        }
        float[] x = new float[count];
        int i = 0;
        for (float v = 1e-30f; v < 1; v *= 1.001f) {
            x[i++] = v;
            x[i++] = -v;
        }
        float[] y = erf(vector, x);
        double worst = 0;
        float at = 0;
        for (i = 0; i < x.length; i++) {
            double ref = UnaryFn.ERF.reference(x[i]);
            double ulps = Math.abs(y[i] - ref) / Math.ulp((float) ref);
            if (ulps > worst) {
                worst = ulps;
                at = x[i];
            }
        }
        assertTrue(worst <= 2, "largest error " + worst + " ulps at x = " + at);
    }

    @ParameterizedTest(name = "vector {0}")
    @ValueSource(booleans = {false, true})
    void limitsAndSpecialValues(boolean vector) {
        float[] x = {0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 10f, Float.NaN, -0f, 1f, -1f};
        float[] y = erf(vector, x);
        assertEquals(0f, y[0]);
        assertEquals(1f, y[1]);
        assertEquals(-1f, y[2]);
        assertEquals(1f, y[3]);
        assertTrue(Float.isNaN(y[4]));
        assertEquals(-0f, y[5]);
        assertEquals((float) UnaryFn.ERF.reference(1), y[6]);
        assertEquals((float) UnaryFn.ERF.reference(-1), y[7]);
    }
}
