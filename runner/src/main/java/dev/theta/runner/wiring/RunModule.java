package dev.theta.runner.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.theta.runner.config.RunConfig;
import dev.theta.runner.run.RunDirectory;
import dev.theta.runner.training.Interruption;
import dev.theta.runner.training.Progress;

import java.nio.file.Path;

/** Where a run writes and how it shows progress, as chosen on the command line. */
public final class RunModule extends AbstractModule {
    private final Path out;
    private final boolean overwrite;
    private final Progress progress;

    /** {@code out} may be null: the run then goes to {@code runs/<name>}. */
    public RunModule(Path out, boolean overwrite, Progress progress) {
        this.out = out;
        this.overwrite = overwrite;
        this.progress = progress;
    }

    @Override
    protected void configure() {
        bind(Progress.class).toInstance(progress);
        bind(Interruption.class).toInstance(Interruption.process());
    }

    @Provides
    @Singleton
    RunDirectory runDirectory(RunConfig config) {
        return new RunDirectory(out != null ? out : Path.of("runs", config.name()), overwrite);
    }
}
