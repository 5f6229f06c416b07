package dev.theta.api.spi;

import dev.theta.api.graph.Value;

/** One parameter's view of the training step, given to an {@link Optimizer} to build its update. */
public interface ParameterUpdate {
    /** The parameter's name, as the hypothesis gave it to {@link Parameters#create}. */
    String name();

    Value parameter();

    Value gradient();

    /** The learning rate of this step (a scalar the training loop sets, so schedules need no recompilation). */
    Value learningRate();

    /** The 1-based number of this step, as a float32 scalar. */
    Value step();

    /** Declares per-parameter state {@code name} of the parameter's shape, starting at {@code initial}. */
    Value state(String name, float initial);

    /** Sets the value state {@code name} takes after this step. */
    void updateState(String name, Value next);
}
