package dev.theta.api.spi;

import dev.theta.api.options.Options;

/** Creates a backend from its options. */
public interface BackendProvider extends Provider {
    Backend create(Options options);
}
