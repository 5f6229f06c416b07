package dev.theta.backend.cpu.kernels;

/**
 * erf in float32, computed in double and rounded once: within 1e-7 of the exact value (a float near 1 is 6e-8
 * apart from the next), and within a few ulps relative for |x| < 1.
 * <ul>
 *   <li>|x| < 1: the Maclaurin series erf(x) = 2/√π Σₙ (−1)ⁿ x²ⁿ⁺¹ / (n! (2n+1)) to n = 13; the series alternates
 *       with falling terms, so the error is below the first term left out, 4e-13.</li>
 *   <li>|x| ≥ 1: erf = 1 − erfc with erfc(z) = t · exp(−z² + P(t)), t = 1 / (1 + z/2), P of degree 9: the Chebyshev
 *       fit of Press et al., Numerical Recipes (2nd ed., §6.2, {@code erfcc}), relative error below 1.2e-7; erfc(1) is
 *       0.157, so the absolute error of erf stays below 2e-8.</li>
 * </ul>
 */
final class Erf {
    private static final int TERMS = 14;
    /** 2/√π · (−1)ⁿ / (n! (2n+1)): the Maclaurin coefficients in x², highest first for Horner's scheme. */
    static final double[] SERIES = new double[TERMS];
    static final double[] ERFC = {0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806,
            0.09678418, 0.37409196, 1.00002368, -1.26551223};

    static {
        double factorial = 1;
        for (int n = 0; n < TERMS; n++) {
            if (n > 0) {
                factorial *= n;
            }
            SERIES[TERMS - 1 - n] = 2 / Math.sqrt(Math.PI) * (n % 2 == 0 ? 1 : -1) / (factorial * (2 * n + 1));
        }
    }

    private Erf() {
    }

    static float erf(float x) {
        double z = Math.abs((double) x);
        if (z < 1) {
            double x2 = (double) x * x;
            double p = 0;
            for (double c : SERIES) {
                p = p * x2 + c;
            }
            return (float) (x * p);
        }
        double t = 1 / (1 + 0.5 * z);
        double p = 0;
        for (double c : ERFC) {
            p = p * t + c;
        }
        double erfc = t * Math.exp(-z * z + p);
        return (float) Math.copySign(1 - erfc, x);
    }
}
