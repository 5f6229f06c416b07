package dev.theta.core;

/**
 * A failure the user can fix (bad config, bad data, unknown plugin): printed as one message without a stack
 * trace unless {@code --debug}, and mapped to its exit code.
 */
public class UserError extends RuntimeException {
    private final ExitCode exitCode;

    public UserError(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public UserError(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
