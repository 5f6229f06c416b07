package dev.theta.api.spi;

import dev.theta.api.options.Options;

import java.nio.file.Path;

/** Reads a dataset from files described by its options (paths relative to {@code baseDir}). */
public interface DatasetProvider extends Provider {
    Dataset load(Options options, Path baseDir) throws DataException;
}
