package com.example.theta;

import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.reference.ReferenceBackend;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.BackendProvider;

/**
 * A backend that evaluates every primitive in double precision with theta-api's reference interpreter: slow, but
 * an oracle for other backends, and a demonstration that a backend is one provider class away.
 */
public final class Reference64Backend implements BackendProvider {
    @Override
    public String name() {
        return "reference64";
    }

    @Override
    public String description() {
        return "float64 reference interpreter of the primitive set: slow and exact (example plugin)";
    }

    @Override
    public OptionSchema options() {
        return OptionSchema.of();
    }

    @Override
    public Backend create(Options options) {
        return new ReferenceBackend();
    }
}
