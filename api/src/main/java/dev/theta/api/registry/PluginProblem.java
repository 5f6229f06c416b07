package dev.theta.api.registry;

/** A provider that could not be registered: which kind, name (when known), where it came from and why. */
public record PluginProblem(PluginKind kind, String name, String source, String className, String message) {
    @Override
    public String toString() {
        return kind.label() + (name == null ? "" : " '" + name + "'") + " (" + className + " in " + source + "): " + message;
    }
}
