package dev.theta.core.config;

import dev.theta.api.options.OptionException;
import dev.theta.core.Errors;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;

import java.util.function.Supplier;

/** Runs command work that reads a config, turning option errors into messages that point at the config's lines. */
public final class ConfigErrors {
    private ConfigErrors() {
    }

    public static <T> T located(ConfigDocument doc, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            if (Errors.unwrap(e) instanceof OptionException o) {
                throw new UserError(ExitCode.CONFIG, doc.locate(o.path()) + ": " + o.getMessage(), o);
            }
            throw e;
        }
    }
}
