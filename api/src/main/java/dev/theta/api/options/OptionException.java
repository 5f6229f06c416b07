package dev.theta.api.options;

/**
 * A bad option value. {@code path} is the full config path (such as {@code optimizer.betas[1]}) so the runner can
 * point at the file and line; the message says what is allowed.
 */
public class OptionException extends RuntimeException {
    private final String path;

    public OptionException(String path, String message) {
        super(path + ": " + message);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
