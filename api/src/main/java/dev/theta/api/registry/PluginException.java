package dev.theta.api.registry;

/**
 * A plugin cannot be used: unknown name, duplicate name, a provider that failed to load, or one whose part of the
 * training program is wrong.
 */
public class PluginException extends RuntimeException {
    public PluginException(String message) {
        super(message);
    }

    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
