package dev.theta.api.options;

/**
 * A bad option value. {@code path} is the full config path (such as {@code optimizer.betas[1]}) so the runner can
 * point at the file and line; the message reads {@code optimizer.betas[1] = 1.2: must be in [0, 1)}.
 */
public class OptionException extends RuntimeException {
    private final String path;

    public OptionException(String path, String message) {
        super(path + ": " + message);
        this.path = path;
    }

    /** A bad value: the message shows the value after the path. */
    public OptionException(String path, Object value, String message) {
        super(path + " = " + OptionSchema.render(value) + ": " + message);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
