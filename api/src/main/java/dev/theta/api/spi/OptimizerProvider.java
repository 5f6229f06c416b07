package dev.theta.api.spi;

import dev.theta.api.options.Options;

/** Creates an optimizer; the learning rate is read by the training loop from the option {@code lr}. */
public interface OptimizerProvider extends Provider {
    Optimizer create(Options options);
}
