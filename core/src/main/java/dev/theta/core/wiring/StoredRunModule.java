package dev.theta.core.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.theta.api.spi.DataSpec;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.run.SpecFile;
import dev.theta.core.model.Preprocessing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** A finished run directory in place of training data: its data spec and its location. */
public final class StoredRunModule extends AbstractModule {
    private final Path runDir;

    public StoredRunModule(Path runDir) {
        this.runDir = runDir;
    }

    @Override
    protected void configure() {
        bind(RunDirectory.class).toInstance(new RunDirectory(runDir, true));
        // A run trained on data given in code names the in-memory dataset; a stored run reads no data.
        install(new InMemoryDataModule(Map.of()));
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
