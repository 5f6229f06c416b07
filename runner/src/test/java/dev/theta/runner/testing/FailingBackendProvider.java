package dev.theta.runner.testing;

import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.BackendProvider;

/** Test backend {@code broken}: compiling throws, as a bug in a backend would: theta must report an internal error. */
public final class FailingBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "broken";
    }

    @Override
    public String description() {
        return "test only: a backend with a bug";
    }

    @Override
    public OptionSchema options() {
        return OptionSchema.of();
    }

    @Override
    public Backend create(Options options) {
        return (graph, batchSize) -> {
            throw new IllegalStateException("bug in the broken backend");
        };
    }
}
