package dev.theta.runner.cli;

import dev.theta.core.run.Provenance;
import picocli.CommandLine;
import dev.theta.core.plugins.PluginDirectories;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.util.List;

/** The {@code theta} command; its subcommands do the work. */
@Command(name = "theta", mixinStandardHelpOptions = true, versionProvider = ThetaCommand.Version.class,
        description = "Supervised learning from plugins: train models from config files.",
        subcommands = {TrainCommand.class, SweepCommand.class, ExportCommand.class, PredictCommand.class, EvalCommand.class,
                GenerateCommand.class, PluginsCommand.class, CheckCommand.class})
public final class ThetaCommand {
    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces and debug logs.")
    boolean debug;

    /** The version provenance records too: theta-core's Implementation-Version ({@code development} from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"theta " + Provenance.thetaVersion()};
        }
    }

    public ThetaCommand() {
        PluginDirectories.setCommandLine(List.of());
    }

    @Option(names = "--plugins", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "A directory of plugin jars (repeatable); ./plugins is used too when it exists.")
    void plugins(List<Path> directories) {
        PluginDirectories.setCommandLine(directories);
    }
}
