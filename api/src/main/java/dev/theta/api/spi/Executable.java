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

    /**
     * How many training steps one {@link #run} performs (1 unless a backend runs several minibatches per call). With
     * K > 1 every non-carried input and output has a leading axis of K: slice i holds step i's batch, learning rate,
     * step number, loss and scores; carried inputs hold the values before the first step and after the last.
     */
    default int stepsPerCall() {
        return 1;
    }

    @Override
    default void close() {
    }
}
