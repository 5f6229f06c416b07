package dev.theta.runner;

import ch.qos.logback.classic.Level;
import dev.theta.api.options.Names;
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
import java.nio.file.InvalidPathException;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point: runs the command line, turning user errors into one clear message and an exit code (see
 * {@link ExitCode}); stack traces only with {@code --debug} or for internal errors.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        LauncherStderr.restore();
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
            err.println("theta: " + unknownCommand(e).orElse(e.getMessage()));
            e.getCommandLine().usage(err);
            return ExitCode.CONFIG.code();
        });
        return cli.execute(args);
    }

    /** For {@code theta trian}: the nearest command, as option errors suggest the nearest option. */
    private static java.util.Optional<String> unknownCommand(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException u) || e.getCommandLine().getParent() != null
                || u.getUnmatched().isEmpty() || u.getUnmatched().get(0).startsWith("-")) {
            return java.util.Optional.empty();
        }
        String given = u.getUnmatched().get(0);
        List<String> commands = List.copyOf(e.getCommandLine().getSubcommands().keySet());
        String near = Names.nearest(given, commands);
        return java.util.Optional.of("unknown command '" + given + "'" + (near == null ? "" : " (did you mean '" + near + "'?)")
                + "; commands: " + String.join(", ", commands));
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
        } else if (e instanceof InvalidPathException p) {
            // Only a path the user gave gets this far: theta's own are built from checked names.
            code = ExitCode.CONFIG;
            message = "'" + p.getInput().replace("\0", "\\0") + "' is not a usable path: " + p.getReason();
        } else {
            LOG.error("internal error (please report it)", e);
            return ExitCode.INTERNAL.code();
        }
        // Ctrl-C is the user's choice, not a failure: the line says what was kept.
        err.println((code == ExitCode.INTERRUPTED ? "theta: " : "theta: error: ") + message);
        if (debug) {
            e.printStackTrace(err);
        }
        return code.code();
    }
}
