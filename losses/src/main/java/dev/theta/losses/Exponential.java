package dev.theta.losses;

import dev.theta.api.graph.Value;

/**
 * The exponential loss exp(−y·h(x)); y = ±1 from the class indices {0, 1}. It is computed exactly: it is finite
 * for every correctly signed score, however large, and for margins down to about −88; below that its true value
 * exceeds the largest float32 and is +inf, as in PyTorch. Clamping it would change the loss, so it is not clamped.
 */
public final class Exponential extends MarginLoss {
    @Override
    public String name() {
        return "exponential";
    }

    @Override
    public String description() {
        return "exponential loss exp(-y h(x)) on one score; labels {0,1} read as y = -1, +1 (+inf beyond float32 for y h(x) < -88)";
    }

    @Override
    Value of(Value margin) {
        return margin.neg().exp();
    }
}
