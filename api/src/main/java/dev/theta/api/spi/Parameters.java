package dev.theta.api.spi;

import dev.theta.api.graph.BatchNorm;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.Arrays;

/**
 * Where a hypothesis declares its trainable parameters, and asks for layers that train differently from how they
 * predict, while it builds its scores. The same hypothesis code builds the training step, the evaluation and the
 * prediction (export) graphs; only the step graph's {@code Parameters} implements {@link #dropout} as more than x
 * and {@link #batchNorm} with the batch's statistics.
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

    /**
     * Batch normalization over axis 1 of the float32 {@code x} ([N, C] or [N, C, H, W]), as PyTorch's
     * {@code nn.BatchNorm1d/2d(C, eps, momentum)}: declares parameters {@code NAME.weight} (γ, ones) and
     * {@code NAME.bias} (β, zeros) of shape [C], and running statistics {@code NAME.running_mean} (zeros) and
     * {@code NAME.running_var} (ones), which are model values but not parameters: no gradient, no optimizer, no
     * weight decay. In the training step x is normalised with its batch's mean and biased variance over every axis
     * but 1, (x − mean) / √(var + ε) · γ + β, and the step carries running = (1 − momentum) · running + momentum ·
     * batch, with the unbiased variance for {@code running_var}. The evaluation and prediction graphs (and exported
     * models) normalise with the running statistics. This default, for a {@code Parameters} that keeps no
     * statistics (one that only lists parameters, say), normalises with the initial ones.
     *
     * @throws IllegalArgumentException unless 0 ≤ momentum ≤ 1, ε > 0 and x is float32 [N, C, ...] with static C
     */
    default Value batchNorm(String name, Value x, double momentum, double eps) {
        BatchNorm.check(x, momentum, eps);
        int c = x.shape().dim(1);
        Value weight = create(name + ".weight", Shape.of(c), c, c, Initializer.ONES);
        Value bias = create(name + ".bias", Shape.of(c), c, c, Initializer.ZEROS);
        float[] ones = new float[c];
        Arrays.fill(ones, 1f);
        return BatchNorm.inference(x, x.graph().constant(Tensor.zeros(x.type().dtype(), Shape.of(c))),
                x.graph().constant(Tensor.of(Shape.of(c), ones)), weight, bias, eps);
    }
}
