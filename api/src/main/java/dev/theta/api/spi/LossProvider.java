package dev.theta.api.spi;

import dev.theta.api.options.Options;

/** Creates a loss for the data at hand. */
public interface LossProvider extends Provider {
    Loss create(Options options, DataSpec data);
}
