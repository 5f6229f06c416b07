package dev.theta.backend.cpu.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vector API's float exp ({@link VectorMath#exp}) against the double exp: ulps over its range, and the limits. */
class VectorExpTest {
    @Test
    void withinTwoUlpsOverTheFloatRange() {
        int n = 2_000_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -103f + 191f * i / (n - 1);
        }
        float[] y = new float[n];
        assertTrue(VectorApi.AVAILABLE, "the tests run with --add-modules jdk.incubator.vector");
        VectorMath.exp(x, y, 0, n);
        double worst = 0;
        float at = 0;
        for (int i = 0; i < n; i++) {
            double ref = Math.exp(x[i]);
            double ulps = Math.abs(y[i] - ref) / Math.ulp((float) ref);
            if (ulps > worst) {
                worst = ulps;
                at = x[i];
            }
        }
        assertTrue(worst <= 2, "largest error " + worst + " ulps at x = " + at);
    }

    @Test
    void limitsAndSpecialValues() {
        float[] x = {0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -1e30f, 100f, Float.NaN, 1f, -1f, 2f};
        float[] y = new float[x.length];
        VectorMath.exp(x, y, 0, x.length);
        assertEquals(1f, y[0]);
        assertEquals(0f, y[1]);
        assertEquals(Float.POSITIVE_INFINITY, y[2]);
        assertEquals(0f, y[3]);
        assertEquals(Float.POSITIVE_INFINITY, y[4]);
        assertTrue(Float.isNaN(y[5]));
    }
}
