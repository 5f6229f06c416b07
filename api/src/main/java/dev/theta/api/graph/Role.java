package dev.theta.api.graph;

/** What a graph input holds; backends and exporters treat each role differently. */
public enum Role {
    /** A batch of examples (features or targets); has the batch dimension. */
    DATA,
    /** A trainable parameter of the hypothesis. */
    PARAMETER,
    /** Optimizer state carried from one step to the next (momentum buffers, moments). */
    STATE,
    /** A scalar set by the training loop (learning rate, step counter). */
    HYPER
}
