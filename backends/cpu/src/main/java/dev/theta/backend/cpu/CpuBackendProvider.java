package dev.theta.backend.cpu;

import dev.theta.api.options.Option;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.BackendProvider;

/** The {@code cpu} backend: pure Java kernels, matrix products through OpenBLAS. */
public final class CpuBackendProvider implements BackendProvider {
    public static final String THREADS = "threads";

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        return "runs graphs on the JVM, matrix products through OpenBLAS";
    }

    @Override
    public OptionSchema options() {
        return OptionSchema.of(Option.integer(THREADS, 2, Range.closed(1, 256),
                "OpenBLAS threads for large matrix products (small ones use one)"));
    }

    @Override
    public Backend create(Options options) {
        return new CpuBackend(options.getInt(THREADS));
    }
}
