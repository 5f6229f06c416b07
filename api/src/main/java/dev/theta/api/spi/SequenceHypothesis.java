package dev.theta.api.spi;

/**
 * A hypothesis over windows of T positions (int64 [N, T] in, scores [N, T, k] out) whose parameters do not depend on
 * T, so that it can be rebuilt for any window 1 ≤ T ≤ {@link #maxLength()}: a transformer with learned positions up
 * to its block size reads shorter contexts than its training windows the same way. Exporters use it to write a model
 * whose sequence length is symbolic; training never asks for it.
 */
public interface SequenceHypothesis extends Hypothesis {
    /** The longest window the parameters cover (a position table's rows). */
    int maxLength();

    /**
     * The same computation over windows of {@code length} (1 ≤ length ≤ {@link #maxLength()}), with the same
     * parameters by name and shape. Its graph must have the same nodes for every length, only sizes differing.
     */
    Hypothesis atLength(int length);
}
