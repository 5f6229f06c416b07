package dev.theta.api.registry;

import dev.theta.api.spi.Provider;

/** A provider found by the registry, with the place it came from (a jar path, or "built in"). */
public record Registered<P extends Provider>(PluginKind kind, P provider, String source) {
    public String name() {
        return provider.name();
    }
}
