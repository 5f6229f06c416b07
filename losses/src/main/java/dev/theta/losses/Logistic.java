package dev.theta.losses;

import dev.theta.api.graph.Value;

/**
 * The logistic loss log(1 + exp(−y·h(x))), computed as a stable softplus of −y·h(x); y = ±1 from the class
 * indices {0, 1}. It equals binary cross-entropy on sigmoid(h(x)) (PyTorch's {@code BCEWithLogitsLoss}).
 */
public final class Logistic extends MarginLoss {
    @Override
    public String name() {
        return "logistic";
    }

    @Override
    public String description() {
        return "logistic loss log(1 + exp(-y h(x))) on one score; labels {0,1} read as y = -1, +1";
    }

    @Override
    Value of(Value margin) {
        return margin.neg().softplus();
    }
}
