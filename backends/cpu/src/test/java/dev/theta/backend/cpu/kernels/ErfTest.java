package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.UnaryFn;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float32 erf against the double reference: over [-8, 8] densely, near zero relatively, and at the limits. */
class ErfTest {
    @Test
    void withinOneTenMillionthEverywhere() {
        double worst = 0;
        float at = 0;
        for (int i = -800_000; i <= 800_000; i++) {
            float x = i * 1e-5f;
            double err = Math.abs(Erf.erf(x) - UnaryFn.ERF.reference(x));
            if (err > worst) {
                worst = err;
                at = x;
            }
        }
        assertTrue(worst <= 1e-7, "largest error " + worst + " at x = " + at);
    }

    @Test
    void fewUlpsRelativeBelowOne() {
        double worst = 0;
        float at = 0;
        for (float x = 1e-30f; x < 1; x *= 1.001f) {
            for (float s : new float[] {x, -x}) {
                double ref = UnaryFn.ERF.reference(s);
                double ulps = Math.abs(Erf.erf(s) - ref) / Math.ulp((float) ref);
                if (ulps > worst) {
                    worst = ulps;
                    at = s;
                }
            }
        }
        assertTrue(worst <= 2, "largest error " + worst + " ulps at x = " + at);
    }

    @Test
    void limitsAndSpecialValues() {
        assertEquals(0f, Erf.erf(0f));
        assertEquals(1f, Erf.erf(Float.POSITIVE_INFINITY));
        assertEquals(-1f, Erf.erf(Float.NEGATIVE_INFINITY));
        assertEquals(1f, Erf.erf(10f));
        assertTrue(Float.isNaN(Erf.erf(Float.NaN)));
    }
}
