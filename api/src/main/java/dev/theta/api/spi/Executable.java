package dev.theta.api.spi;

import dev.theta.api.tensor.Tensor;

/**
 * A graph compiled for one batch size. Callers write inputs in place into the tensors {@link #input} returns,
 * call {@link #run}, and read outputs; carried outputs (see {@code Graph.carry}) become the next run's inputs.
 */
public interface Executable extends AutoCloseable {
    /** The tensor holding input {@code name}; its contents persist across runs until overwritten. */
    Tensor input(String name);

    void run();

    /** The tensor holding output {@code name} after the last run. */
    Tensor output(String name);

    @Override
    default void close() {
    }
}
