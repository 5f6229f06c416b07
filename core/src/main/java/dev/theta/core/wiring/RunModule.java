package dev.theta.core.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.theta.core.config.RunConfig;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.training.Interruption;
import dev.theta.core.training.Progress;

import java.nio.file.Path;
import java.util.function.Function;
import dev.theta.core.TrainingListener;

/**
 * Where a run writes, how it shows progress, what may stop it and who follows it: chosen by the command line
 * ({@link #commandLine}) or by a program embedding theta.
 */
public final class RunModule extends AbstractModule {
    private final Function<RunConfig, RunDirectory> directory;
    private final Progress progress;
    private final Interruption interruption;
    private final TrainingListener listener;

    public RunModule(Function<RunConfig, RunDirectory> directory, Progress progress, Interruption interruption,
                     TrainingListener listener) {
        this.directory = directory;
        this.progress = progress;
        this.interruption = interruption;
        this.listener = listener;
    }

    /** The command line's: {@code out}, or {@code runs/<name>} when null; stopped by SIGINT. */
    public static RunModule commandLine(Path out, boolean overwrite, Progress progress) {
        return new RunModule(c -> new RunDirectory(out != null ? out : Path.of("runs", c.name()), overwrite), progress,
                Interruption.process(), TrainingListener.NONE);
    }

    @Override
    protected void configure() {
        bind(Progress.class).toInstance(progress);
        bind(Interruption.class).toInstance(interruption);
        bind(TrainingListener.class).toInstance(listener);
    }

    @Provides
    @Singleton
    RunDirectory runDirectory(RunConfig config) {
        return directory.apply(config);
    }
}
