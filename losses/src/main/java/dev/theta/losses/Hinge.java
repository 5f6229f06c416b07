package dev.theta.losses;

import dev.theta.api.graph.Value;

/**
 * The hinge loss max(1 − y·h(x), 0); y = ±1 from the class indices {0, 1}. At the kink y·h(x) = 1 the gradient is
 * 0, as in PyTorch.
 */
public final class Hinge extends MarginLoss {
    @Override
    public String name() {
        return "hinge";
    }

    @Override
    public String description() {
        return "hinge loss max(1 - y h(x), 0) on one score; labels {0,1} read as y = -1, +1";
    }

    @Override
    Value of(Value margin) {
        return margin.rsub(1f).relu();
    }
}
