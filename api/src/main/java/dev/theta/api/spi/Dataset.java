package dev.theta.api.spi;

import dev.theta.api.tensor.Tensor;

/**
 * A dataset held in memory once: all features in one tensor of shape [size, featureShape...] and all targets in one
 * tensor of shape [size, targetShape...] (int64 class indices for classification).
 */
public interface Dataset {
    DataSpec spec();

    /** Number of examples. */
    int size();

    Tensor features();

    Tensor targets();

    /** Where the data came from (paths), for logs and provenance. */
    String source();
}
