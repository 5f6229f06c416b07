package dev.theta.core;

/** The exit codes of the theta command, documented in the README. */
public enum ExitCode {
    OK(0),
    /** A bug in theta (or an unexpected environment failure): the stack trace is logged. */
    INTERNAL(1),
    /** Bad command line or config: unknown key, wrong type, value out of range. */
    CONFIG(2),
    /** Missing or malformed data files. */
    DATA(3),
    /** Unknown, duplicate or broken plugin. */
    PLUGIN(4),
    /** Training diverged (NaN or infinite loss). */
    DIVERGED(5),
    /** The JVM ran out of memory (or a tensor was asked for that no Java array holds). */
    OUT_OF_MEMORY(6),
    /** Interrupted (SIGINT). */
    INTERRUPTED(130);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
