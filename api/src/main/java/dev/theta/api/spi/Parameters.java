package dev.theta.api.spi;

import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;

/** Where a hypothesis declares its trainable parameters while it builds its scores. */
public interface Parameters {
    /**
     * Declares parameter {@code name} (unique within the hypothesis) and returns it as a graph value.
     * {@code fanIn}/{@code fanOut} feed the initializer.
     */
    Value create(String name, Shape shape, int fanIn, int fanOut, Initializer initializer);
}
