package dev.theta.runner.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.runner.config.ConfigDocument;
import dev.theta.runner.run.ModelExport;
import dev.theta.runner.run.Provenance;
import dev.theta.runner.run.RunDirectory;
import dev.theta.runner.training.EpochMetrics;
import dev.theta.runner.training.Progress;
import dev.theta.runner.training.QuietProgress;
import dev.theta.runner.training.TerminalProgress;
import dev.theta.runner.training.Trainer;
import dev.theta.runner.training.TrainingResult;
import dev.theta.runner.wiring.ChosenPlugins;
import dev.theta.runner.wiring.DataModule;
import dev.theta.runner.wiring.ExperimentModule;
import dev.theta.runner.wiring.PluginsModule;
import dev.theta.runner.wiring.RunModule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        return ConfigErrors.located(doc, () -> train(doc));
    }

    private int train(ConfigDocument doc) {
        Progress progress = Terminal.interactive() ? new TerminalProgress() : new QuietProgress();
        Injector injector = Guice.createInjector(Stage.DEVELOPMENT,
                new PluginsModule(PluginRegistry.discover(TrainCommand.class.getClassLoader())),
                new ExperimentModule(doc),
                new DataModule(),
                new RunModule(out, overwrite, progress));
        // Fail fast on config and plugin mistakes, and on an existing run directory, before any data is read.
        injector.getInstance(ChosenPlugins.class);
        RunDirectory runDirectory = injector.getInstance(RunDirectory.class);
        runDirectory.checkUsable();
        TrainingResult result = injector.getInstance(Trainer.class).train();
        Map<String, String> metadata = injector.getInstance(Provenance.class).metadata(result.history());
        try {
            runDirectory.writeAtomically(Provenance.FILE, Provenance.toJson(metadata));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var model = injector.getInstance(ModelExport.class).write(result.parameters(), metadata);
        EpochMetrics last = result.history().get(result.history().size() - 1);
        System.out.printf(Locale.ROOT, "test accuracy %.4f, test loss %.4f after %d epochs; run directory %s%s%n",
                last.accuracy(), last.loss(), last.epoch(), runDirectory.path(),
                model.map(m -> "; model " + m).orElse(""));
        return 0;
    }
}
