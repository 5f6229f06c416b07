package dev.theta.spark;

import java.io.Serializable;
import java.util.Map;

/**
 * One shard's sums over its share of a global batch: Σ loss, Σ weight (the loss's mean weights, or the count) and
 * Σ ∂loss/∂θ per parameter, and its correct predictions (0 for regression); {@code gradients} is null when the share
 * was empty.
 */
record GradientSums(int shard, int examples, float lossSum, float weightSum, long correct, Map<String, float[]> gradients)
        implements Serializable {
}
