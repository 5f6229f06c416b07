package dev.theta.runner.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code theta} command; its subcommands do the work. */
@Command(name = "theta", mixinStandardHelpOptions = true, version = "theta 0.1.0",
        description = "Supervised learning from plugins: train models from config files.",
        subcommands = {TrainCommand.class, ExportCommand.class, PredictCommand.class, EvalCommand.class})
public final class ThetaCommand {
    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces and debug logs.")
    boolean debug;
}
