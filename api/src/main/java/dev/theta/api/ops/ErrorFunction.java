package dev.theta.api.ops;

/**
 * The error function erf(x) = 2/√π ∫₀ˣ exp(−t²) dt in double precision, the reference of {@link UnaryFn#ERF}.
 *
 * <p>Abramowitz and Stegun, Handbook of Mathematical Functions, 7.1.6: erf(x) = 2/√π · exp(−x²) · Σₙ 2ⁿ x²ⁿ⁺¹ /
 * (1·3·5···(2n+1)). Every term has the sign of x, so the sum has no cancellation and its relative rounding error
 * stays near n·2⁻⁵³ (under 1e-14 for the at most ~110 terms needed below |x| = 6). For |x| ≥ 6, erfc(|x|) is below
 * 2.2e-17, so erf(x) is ±1 to double precision.
 */
final class ErrorFunction {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double SATURATION = 6;

    private ErrorFunction() {
    }

    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax >= SATURATION) {
            return Math.copySign(1, x);
        }
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }
}
