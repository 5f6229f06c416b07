package dev.theta.api.registry;

/** A plugin cannot be used: unknown name, duplicate name, or a provider that failed to load. */
public class PluginException extends RuntimeException {
    public PluginException(String message) {
        super(message);
    }
}
