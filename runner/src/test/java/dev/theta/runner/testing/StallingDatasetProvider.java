package dev.theta.runner.testing;

import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.DatasetProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Dataset {@code stall-data}, for tests of what happens while data loads: loading creates the file named by
 * {@code -Dtheta.test.stall-marker} and then waits (up to a minute) without returning, as a slow read would.
 */
public final class StallingDatasetProvider implements DatasetProvider {
    @Override
    public String name() {
        return "stall-data";
    }

    @Override
    public String description() {
        return "test only: a dataset whose loading never finishes";
    }

    @Override
    public OptionSchema options() {
        return OptionSchema.of();
    }

    @Override
    public Dataset load(Options options, Path baseDir) {
        try {
            Files.createFile(Path.of(System.getProperty("theta.test.stall-marker")));
            Thread.sleep(60_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("stall-data was not interrupted within a minute");
    }
}
