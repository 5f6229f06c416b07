package dev.theta.core;

import dev.theta.api.options.OptionException;
import dev.theta.api.registry.PluginException;

/**
 * What a program embedding theta catches: one subclass per kind of failure, each carrying the message the
 * {@code theta} command prints for it. {@link #of} maps theta's internal failures onto them.
 */
public abstract class ThetaException extends RuntimeException {
    ThetaException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The command line's exit code for this failure. */
    public abstract int exitCode();

    /** A bad config or option: unknown key, wrong type, value out of range, a run directory that may not be used. */
    public static final class Config extends ThetaException {
        Config(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public int exitCode() {
            return ExitCode.CONFIG.code();
        }
    }

    /** Missing or malformed data, or data that does not fit the model. */
    public static final class Data extends ThetaException {
        Data(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public int exitCode() {
            return ExitCode.DATA.code();
        }
    }

    /** An unknown, duplicate or broken plugin, or one that built a graph of the wrong shape. */
    public static final class Plugin extends ThetaException {
        Plugin(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public int exitCode() {
            return ExitCode.PLUGIN.code();
        }
    }

    /** Training diverged: a NaN or infinite loss or parameter (the message names the epoch and step). */
    public static final class Diverged extends ThetaException {
        Diverged(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public int exitCode() {
            return ExitCode.DIVERGED.code();
        }
    }

    /** Training was cancelled by the host application (or SIGINT, on the command line). */
    public static final class Cancelled extends ThetaException {
        Cancelled(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public int exitCode() {
            return ExitCode.INTERRUPTED.code();
        }
    }

    /**
     * The public exception for {@code failure}: theta's user errors, option and plugin errors by kind; anything else
     * (a bug) is returned as it is.
     */
    public static RuntimeException of(RuntimeException failure) {
        Throwable t = Errors.unwrap(failure);
        if (t instanceof ThetaException e) {
            return e;
        }
        if (t instanceof OptionException o) {
            return new Config(o.getMessage(), o);
        }
        if (t instanceof PluginException p) {
            return new Plugin(p.getMessage(), p);
        }
        if (t instanceof UserError u) {
            return switch (u.exitCode()) {
                case CONFIG -> new Config(u.getMessage(), u);
                case DATA -> new Data(u.getMessage(), u);
                case PLUGIN -> new Plugin(u.getMessage(), u);
                case DIVERGED -> new Diverged(u.getMessage(), u);
                case INTERRUPTED -> new Cancelled(u.getMessage(), u);
                case OK, INTERNAL, OUT_OF_MEMORY -> failure;
            };
        }
        return failure;
    }
}
