package dev.theta.api.spi;

import dev.theta.api.graph.Value;

/** h_θ: maps a batch of inputs [N, features...] to scores [N, k] (or [N] for one score). */
public interface Hypothesis {
    Value scores(Parameters parameters, Value input);
}
