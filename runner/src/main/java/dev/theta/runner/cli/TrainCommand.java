package dev.theta.runner.cli;

import dev.theta.core.config.ConfigErrors;
import com.google.inject.Injector;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.config.ConfigDocument;
import dev.theta.core.run.Checkpoint;
import dev.theta.core.run.CheckpointStore;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.run.SpecFile;
import dev.theta.core.training.EpochMetrics;
import dev.theta.core.training.TrainingResult;
import dev.theta.core.training.Progress;
import dev.theta.core.training.QuietProgress;
import dev.theta.runner.cli.TerminalProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * {@code theta train CONFIG}: trains the config's model and writes a run directory; {@code theta train --resume
 * RUN_DIR} continues a stopped run from its newest checkpoint.
 */
@Command(name = "train", description = "Train a model from a YAML or JSON config, or resume a stopped run.", mixinStandardHelpOptions = true)
public final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "The config file (YAML or JSON).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config value, e.g. --set optimizer.lr=0.05 (repeatable; values are YAML: [256, 128] is a list, {a: 1} a map).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/<name>).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing run directory instead of refusing.")
    boolean overwrite;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue the run in RUN_DIR from its newest checkpoint, with the run's own config.yaml.")
    Path resume;

    @Override
    public Integer call() {
        if (resume != null) {
            return resume();
        }
        if (config == null) {
            throw new UserError(ExitCode.CONFIG, "give a config file (theta train CONFIG) or a run to continue (theta train --resume RUN_DIR)");
        }
        ConfigDocument doc = ConfigDocument.read(config);
        overrides.forEach(doc::override);
        return ConfigErrors.located(doc, () -> {
            Injector injector = Runs.injector(doc, out, overwrite, progress());
            Runs.check(injector, false);
            return report(Runs.train(injector, null));
        });
    }

    private int resume() {
        if (config != null || out != null || overwrite || !overrides.isEmpty()) {
            throw new UserError(ExitCode.CONFIG, "--resume continues a run with its own config and directory; drop CONFIG, --out, --overwrite and --set");
        }
        if (!Files.isRegularFile(resume.resolve("config.yaml"))) {
            throw new UserError(ExitCode.DATA, resume + ": no config.yaml; is this a run directory written by theta train?");
        }
        RunDirectory dir = new RunDirectory(resume, false);
        Optional<Checkpoint> checkpoint = new CheckpointStore(dir).latest();
        if (checkpoint.isEmpty()) {
            return restart();
        }
        ConfigDocument doc = ConfigDocument.read(resume.resolve("config.yaml"), Path.of(checkpoint.get().dataDirectory()));
        return ConfigErrors.located(doc, () -> {
            Injector injector = Runs.injector(doc, resume, false, progress());
            Runs.check(injector, true);
            return report(Runs.train(injector, checkpoint.get()));
        });
    }

    /**
     * A run stopped before its first checkpoint (killed while starting) has nothing to continue from: it starts
     * again from the beginning with its own config, in its own directory, which it may replace since theta wrote it.
     */
    private int restart() {
        Path dataDirectory = null;
        try {
            dataDirectory = SpecFile.read(resume.resolve(SpecFile.NAME)).dataDirectory();
        } catch (IOException e) {
            // Without the spec the data directory is unknown; reported below.
        }
        if (dataDirectory == null) {
            throw new UserError(ExitCode.DATA, resume + ": no loadable checkpoint in " + resume.resolve(CheckpointStore.FOLDER)
                    + " and no data directory in " + SpecFile.NAME + "; nothing to resume: start the run again with its original command");
        }
        System.err.println("theta: " + resume + " has no checkpoint yet (it stopped while starting): training it again from the beginning");
        ConfigDocument doc = ConfigDocument.read(resume.resolve("config.yaml"), dataDirectory);
        return ConfigErrors.located(doc, () -> {
            Injector injector = Runs.injector(doc, resume, true, progress());
            Runs.check(injector, false);
            return report(Runs.train(injector, null));
        });
    }

    private static Progress progress() {
        return Terminal.interactive() ? new TerminalProgress() : new QuietProgress();
    }

    private static int report(Runs.Finished run) {
        TrainingResult result = run.result();
        List<EpochMetrics> history = result.history();
        int epochs = history.get(history.size() - 1).epoch();
        EpochMetrics test = result.selected("test");
        String kept = result.selectedBy() == null ? ""
                : " (the model of " + run.settings().at(result.selectedEpoch()) + ", best " + result.selectedBy() + ")";
        System.out.printf(Locale.ROOT, "test accuracy %.4f, test loss %.4f after %s%s; run directory %s%s%n",
                test.accuracy(), test.loss(), run.settings().span(epochs), kept, run.directory(),
                run.model().map(m -> "; model " + m).orElse(""));
        return 0;
    }
}
