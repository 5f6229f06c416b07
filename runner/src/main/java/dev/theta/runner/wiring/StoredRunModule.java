package dev.theta.runner.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.theta.api.spi.DataSpec;
import dev.theta.runner.ExitCode;
import dev.theta.runner.UserError;
import dev.theta.runner.run.RunDirectory;
import dev.theta.runner.run.SpecFile;
import dev.theta.runner.model.Preprocessing;

import java.io.IOException;
import java.nio.file.Path;

/** A finished run directory in place of training data: its data spec and its location. */
public final class StoredRunModule extends AbstractModule {
    private final Path runDir;

    public StoredRunModule(Path runDir) {
        this.runDir = runDir;
    }

    @Override
    protected void configure() {
        bind(RunDirectory.class).toInstance(new RunDirectory(runDir, true));
    }

    @Provides
    DataSpec spec(SpecFile.Stored stored) {
        return stored.spec();
    }

    @Provides
    Preprocessing preprocessing(SpecFile.Stored stored) {
        return stored.preprocessing();
    }

    @Provides
    @Singleton
    SpecFile.Stored stored() {
        Path file = runDir.resolve(SpecFile.NAME);
        try {
            return SpecFile.read(file);
        } catch (IOException e) {
            throw new UserError(ExitCode.DATA, file + ": cannot read the run's data spec (" + e.getMessage()
                    + "); is " + runDir + " a directory written by theta train?", e);
        }
    }
}
