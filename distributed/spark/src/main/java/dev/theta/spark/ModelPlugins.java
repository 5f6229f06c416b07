package dev.theta.spark;

import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.Optimizer;

/** The plugins of one training run and the spec of its data, as a {@link ModelSource} builds them. */
public record ModelPlugins(DataSpec data, Hypothesis hypothesis, Loss loss, Optimizer optimizer) {
}
