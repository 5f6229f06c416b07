package dev.theta.runner.cli;

import dev.theta.api.options.OptionException;
import dev.theta.runner.Errors;
import dev.theta.runner.ExitCode;
import dev.theta.runner.UserError;
import dev.theta.runner.config.ConfigDocument;

import java.util.function.Supplier;

/** Runs command work that reads a config, turning option errors into messages that point at the config's lines. */
final class ConfigErrors {
    private ConfigErrors() {
    }

    static <T> T located(ConfigDocument doc, Supplier<T> work) {
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
