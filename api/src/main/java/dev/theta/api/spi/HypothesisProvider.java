package dev.theta.api.spi;

import dev.theta.api.options.Options;

/** Creates a hypothesis for the data at hand; {@code scores} is how many scores the loss asks for (k, or 1). */
public interface HypothesisProvider extends Provider {
    Hypothesis create(Options options, DataSpec data, int scores);
}
