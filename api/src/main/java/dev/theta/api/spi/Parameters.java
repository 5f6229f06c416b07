package dev.theta.api.spi;

import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;

/**
 * Where a hypothesis declares its trainable parameters, and asks for layers that train differently from how they
 * predict, while it builds its scores. The same hypothesis code builds the training step, the evaluation and the
 * prediction (export) graphs; only the step graph's {@code Parameters} implements {@link #dropout} as more than x.
 */
public interface Parameters {
    /**
     * Declares parameter {@code name} (unique within the hypothesis) and returns it as a graph value.
     * {@code fanIn}/{@code fanOut} feed the initializer.
     */
    Value create(String name, Shape shape, int fanIn, int fanOut, Initializer initializer);

    /**
     * Inverted dropout, as PyTorch's {@code nn.Dropout(p)} in training mode: in the training step each element of the
     * float32 {@code x} is zeroed with probability {@code p} and the others are multiplied by 1 / (1 − p); in the
     * evaluation and prediction graphs, and for p = 0, it is {@code x} itself (no node is added). The step's mask is
     * a pure function of the run's seed, the step number, the call's position among this hypothesis's dropout calls
     * and the element index, so a resumed run draws the same masks. This default (any graph but the step) is x.
     *
     * @throws IllegalArgumentException unless 0 ≤ p < 1
     */
    default Value dropout(Value x, double p) {
        requireDropoutProbability(p);
        return x;
    }

    /** Throws unless {@code p} is a valid dropout probability, in [0, 1). */
    static void requireDropoutProbability(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1): " + p);
        }
    }
}
