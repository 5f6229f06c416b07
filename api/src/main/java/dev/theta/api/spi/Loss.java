package dev.theta.api.spi;

import dev.theta.api.graph.Value;

/**
 * A per-example loss ℓ(h(x), y). The framework applies the reduction (mean over the batch) once, and differentiates
 * with the graph: a loss contains no gradient code.
 */
public interface Loss {
    /** How many scores per example this loss reads for the given data (k for cross-entropy, 1 for margin losses). */
    int scores(DataSpec data);

    /**
     * The loss of each example: shape [N]. {@code target} is [N] int64 for classification. With a class per position
     * (targets [T]) the rows are positions: scores [TN, k] and targets [TN], so read the row count from the
     * target's shape rather than assuming {@code Shape.BATCH}.
     */
    Value perExample(Value scores, Value target);

    /** How scores turn into labels for accuracy and predictions. */
    Decision decision();

    /** How the per-example values are reduced; the framework applies it. */
    default Reduction reduction() {
        return Reduction.MEAN;
    }

    /**
     * The denominator weights of the mean, shape [N]: the mean is Σ perExample / Σ weights. Null means 1 per example
     * (a plain mean). Class-weighted cross-entropy divides by the weights of the targets, as PyTorch does.
     */
    default Value meanWeights(Value target) {
        return null;
    }

    /**
     * Null when the loss can be trained on; otherwise why not, naming a differentiable surrogate (the 0-1 loss is
     * a metric only).
     */
    default String notTrainableReason() {
        return null;
    }
}
