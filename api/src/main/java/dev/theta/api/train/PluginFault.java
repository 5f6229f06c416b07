package dev.theta.api.train;

import dev.theta.api.registry.PluginKind;

/**
 * A plugin's part of a training program failed to build or has the wrong shape (a loss giving [N, 1] instead of
 * [N], a hypothesis giving fewer scores than asked): the fault of the plugin of {@link #kind}, not of theta.
 */
public final class PluginFault extends RuntimeException {
    private final PluginKind kind;

    public PluginFault(PluginKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public PluginKind kind() {
        return kind;
    }
}
