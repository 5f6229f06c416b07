package dev.theta.api.spi;

import dev.theta.api.graph.Value;

/** An update rule, written with graph primitives so that it runs inside the training graph on every backend. */
public interface Optimizer {
    /** Returns the parameter's value after this step. */
    Value update(ParameterUpdate u);
}
