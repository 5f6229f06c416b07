package dev.theta.runner;

import ch.qos.logback.classic.Level;
import dev.theta.api.options.OptionException;
import dev.theta.api.registry.PluginException;
import dev.theta.core.Errors;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.runner.cli.ThetaCommand;
import dev.theta.core.training.Interruption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point: runs the command line, turning user errors into one clear message and an exit code (see
 * {@link ExitCode}); stack traces only with {@code --debug} or for internal errors.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        Interruption.installSignalHandler();
        System.exit(run(args, System.err));
    }

    /** Runs {@code theta args} and returns the exit code. */
    public static int run(String[] args, PrintStream err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        if (debug) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.theta")).setLevel(Level.DEBUG);
        }
        CommandLine cli = new CommandLine(new ThetaCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, debug, err));
        cli.setParameterExceptionHandler((e, args1) -> {
            err.println("theta: " + e.getMessage());
            e.getCommandLine().usage(err);
            return ExitCode.CONFIG.code();
        });
        return cli.execute(args);
    }

    private static int report(Exception thrown, boolean debug, PrintStream err) {
        Throwable e = Errors.unwrap(thrown);
        ExitCode code;
        String message;
        if (e instanceof UserError u) {
            code = u.exitCode();
            message = u.getMessage();
        } else if (e instanceof OptionException o) {
            code = ExitCode.CONFIG;
            message = o.getMessage();
        } else if (e instanceof PluginException p) {
            code = ExitCode.PLUGIN;
            message = p.getMessage();
        } else {
            LOG.error("internal error (please report it)", e);
            return ExitCode.INTERNAL.code();
        }
        err.println("theta: error: " + message);
        if (debug) {
            e.printStackTrace(err);
        }
        return code.code();
    }
}
