package dev.theta.runner.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.theta.api.options.OptionException;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.runner.Errors;
import dev.theta.runner.ExitCode;
import dev.theta.runner.UserError;
import dev.theta.runner.config.ConfigDocument;
import dev.theta.runner.run.RunDirectory;
import dev.theta.runner.training.EpochMetrics;
import dev.theta.runner.training.Progress;
import dev.theta.runner.training.QuietProgress;
import dev.theta.runner.training.TerminalProgress;
import dev.theta.runner.training.Trainer;
import dev.theta.runner.wiring.ChosenPlugins;
import dev.theta.runner.wiring.ExperimentModule;
import dev.theta.runner.wiring.PluginsModule;
import dev.theta.runner.wiring.RunModule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code theta train CONFIG}: trains the config's model and writes a run directory. */
@Command(name = "train", description = "Train a model from a YAML or JSON config.", mixinStandardHelpOptions = true)
public final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "The config file (YAML or JSON).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config value, e.g. --set optimizer.lr=0.05 (repeatable; values are YAML: [256, 128] is a list).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/<name>).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing run directory instead of refusing.")
    boolean overwrite;

    @Override
    public Integer call() {
        ConfigDocument doc = ConfigDocument.read(config);
        overrides.forEach(doc::override);
        try {
            return train(doc);
        } catch (RuntimeException e) {
            if (Errors.unwrap(e) instanceof OptionException o) {
                throw new UserError(ExitCode.CONFIG, doc.locate(o.path()) + ": " + o.getMessage(), o);
            }
            throw e;
        }
    }

    private int train(ConfigDocument doc) {
        Progress progress = Terminal.interactive() ? new TerminalProgress() : new QuietProgress();
        Injector injector = Guice.createInjector(Stage.DEVELOPMENT,
                new PluginsModule(PluginRegistry.discover(TrainCommand.class.getClassLoader())),
                new ExperimentModule(doc),
                new RunModule(out, overwrite, progress));
        // Fail fast on config and plugin mistakes, and on an existing run directory, before any data is read.
        injector.getInstance(ChosenPlugins.class);
        injector.getInstance(RunDirectory.class).checkUsable();
        List<EpochMetrics> history = injector.getInstance(Trainer.class).train();
        EpochMetrics last = history.get(history.size() - 1);
        System.out.printf(Locale.ROOT, "test accuracy %.4f, test loss %.4f after %d epochs; run directory %s%n",
                last.accuracy(), last.loss(), last.epoch(), injector.getInstance(RunDirectory.class).path());
        return 0;
    }
}
