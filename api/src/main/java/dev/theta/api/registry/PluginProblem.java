package dev.theta.api.registry;

/**
 * A provider (or a file) that could not be registered: which kind, name (when known), where it came from (a jar
 * path), the class (when known; null for a file that is not a jar) and why.
 */
public record PluginProblem(PluginKind kind, String name, String source, String className, String message) {
    /** A problem with a file in a plugins directory rather than with one provider. */
    public static PluginProblem ofFile(String file, String message) {
        return new PluginProblem(null, null, file, null, message);
    }

    @Override
    public String toString() {
        if (kind == null) {
            return source + ": " + message;
        }
        return kind.label() + (name == null ? "" : " '" + name + "'") + " (" + className + " in " + source + "): " + message;
    }
}
