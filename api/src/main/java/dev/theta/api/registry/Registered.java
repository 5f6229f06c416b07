package dev.theta.api.registry;

import dev.theta.api.spi.Provider;

/**
 * A provider found by the registry, with the place it came from (a jar path, or {@value #BUILT_IN}) and its
 * version (the jar manifest's {@code Implementation-Version}, or "-" when it has none; theta's own for built-in ones).
 */
public record Registered<P extends Provider>(PluginKind kind, P provider, String source, String version) {
    public static final String BUILT_IN = "built in";

    public String name() {
        return provider.name();
    }
}
