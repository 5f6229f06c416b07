package dev.theta.runner;

import ch.qos.logback.classic.Level;
import dev.theta.api.options.Names;
import dev.theta.api.options.OptionException;
import dev.theta.api.registry.PluginException;
import dev.theta.api.tensor.TensorTooLargeError;
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
    private static final String JAVACPP_PHYSICAL_LIMIT = "org.bytedeco.javacpp.maxPhysicalBytes";

    private Main() {
    }

    public static void main(String[] args) {
        LauncherStderr.restore();
        // JavaCPP (OpenBLAS's loader) refuses to allocate once the process's resident memory passes twice the heap
        // limit, which a small -Xmx makes true of the JVM alone; that refusal then corrupted the native heap.
        if (System.getProperty(JAVACPP_PHYSICAL_LIMIT) == null) {
            System.setProperty(JAVACPP_PHYSICAL_LIMIT, "0");
        }
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
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            return outOfMemory(e, debug, err);
        }
    }

    /**
     * One line for any out-of-memory, with the JVM's limit and how to raise it. The failed allocation is garbage by
     * now, so there is room to say so; a run keeps its last checkpoint, from which {@code --resume} goes on.
     */
    private static int outOfMemory(OutOfMemoryError e, boolean debug, PrintStream err) {
        String what = e.getMessage() == null || e.getMessage().isBlank() ? "" : " (" + e.getMessage() + ")";
        long max = Runtime.getRuntime().maxMemory();
        if (e instanceof TensorTooLargeError || String.valueOf(e.getMessage()).startsWith("Requested array size exceeds VM limit")) {
            err.println("theta: error: out of memory" + what + "; no heap size helps: make the model, batch or data smaller");
        } else {
            err.println("theta: error: out of memory" + what + "; this JVM may use at most "
                    + (max == Long.MAX_VALUE ? "all memory" : max / (1 << 20) + " MB") + ": give it more with"
                    + " JDK_JAVA_OPTIONS=-Xmx8g (say) before ./theta, or make the model, batch or data smaller");
        }
        if (debug) {
            e.printStackTrace(err);
        }
        return ExitCode.OUT_OF_MEMORY.code();
    }

    private static OutOfMemoryError outOfMemoryIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return oom;
            }
        }
        return null;
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
        OutOfMemoryError oom = outOfMemoryIn(e);
        if (oom != null) {
            return outOfMemory(oom, debug, err);
        }
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
