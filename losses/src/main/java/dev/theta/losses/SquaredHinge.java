package dev.theta.losses;

import dev.theta.api.graph.Value;

/** The squared hinge loss max(1 − y·h(x), 0)²; y = ±1 from the class indices {0, 1}. */
public final class SquaredHinge extends MarginLoss {
    @Override
    public String name() {
        return "squared-hinge";
    }

    @Override
    public String description() {
        return "squared hinge loss max(1 - y h(x), 0)^2 on one score; labels {0,1} read as y = -1, +1";
    }

    @Override
    Value of(Value margin) {
        Value hinge = margin.rsub(1f).relu();
        return hinge.mul(hinge);
    }
}
