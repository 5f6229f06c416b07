package dev.theta.runner.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.theta.core.config.ConfigDocument;
import dev.theta.runner.report.RunReport;
import dev.theta.core.engine.ChosenEngine;
import dev.theta.core.run.Checkpoint;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.run.RunOutputs;
import dev.theta.core.training.EpochMetrics;
import dev.theta.core.training.Interruption;
import dev.theta.core.training.Progress;
import dev.theta.core.training.Trainer;
import dev.theta.core.training.TrainingResult;
import dev.theta.core.wiring.ChosenPlugins;
import dev.theta.core.wiring.DataModule;
import dev.theta.core.wiring.ExperimentModule;
import dev.theta.core.wiring.PluginsModule;
import dev.theta.core.wiring.RunModule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** One training run from a config document to a finished run directory: used by train, train --resume and sweep. */
final class Runs {
    private Runs() {
    }

    /** A finished run: its directory, metrics and parameters, and the exported model (if any). */
    /** A finished run, with the loop settings it ran under. */
    record Finished(Path directory, TrainingResult result, Optional<Path> model, dev.theta.core.config.RunConfig.TrainSettings settings) {
    }

    /** The injector of a run; creating it checks nothing yet (Guice's DEVELOPMENT stage is lazy). */
    static Injector injector(ConfigDocument doc, Path out, boolean overwrite, Progress progress) {
        return Guice.createInjector(Stage.DEVELOPMENT,
                new PluginsModule(dev.theta.core.plugins.PluginDirectories.registry(doc)),
                new ExperimentModule(doc),
                new DataModule(),
                RunModule.commandLine(out, overwrite, progress));
    }

    /**
     * Fails fast on config and plugin mistakes and, for a new run, on an existing run directory, before any data
     * is read; returns the run directory.
     */
    static RunDirectory check(Injector injector, boolean resuming) {
        injector.getInstance(ChosenPlugins.class);
        injector.getInstance(ChosenEngine.class);
        RunDirectory runDirectory = injector.getInstance(RunDirectory.class);
        if (!resuming) {
            runDirectory.checkUsable();
        }
        return runDirectory;
    }

    /** Whether SIGINT asked this process to stop. */
    static boolean interrupted() {
        return Interruption.process().isRequested();
    }

    /** The metrics a run directory holds so far (none when it has no metrics file). */
    static List<EpochMetrics> history(Path dir) {
        try {
            return RunDirectory.history(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Trains (from {@code resume} when not null), then writes provenance, the model and the report; the run
     * directory's lock is held from its creation (or, when resuming, from here) to the end.
     */
    static Finished train(Injector injector, Checkpoint resume) {
        try (RunDirectory runDirectory = injector.getInstance(RunDirectory.class)) {
            if (resume != null) {
                runDirectory.reopen();
            }
            return finish(injector, runDirectory, resume);
        }
    }

    private static Finished finish(Injector injector, RunDirectory runDirectory, Checkpoint resume) {
        TrainingResult result = injector.getInstance(Trainer.class).train(resume);
        RunOutputs.Written written = injector.getInstance(RunOutputs.class).write(result);
        dev.theta.core.config.RunConfig config = injector.getInstance(dev.theta.core.config.RunConfig.class);
        RunReport.write(runDirectory, config.name(), result.history(), result.selectedEpoch());
        return new Finished(runDirectory.path(), result, written.model(), config.train());
    }
}
