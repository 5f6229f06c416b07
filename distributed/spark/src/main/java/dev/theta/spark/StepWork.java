package dev.theta.spark;

import java.io.Serializable;
import java.util.Map;

/**
 * What the driver broadcasts for one step: the parameters (keyed by graph input name) and, for each shard, the local
 * rows of its share of the global batch, in batch order.
 */
record StepWork(Map<String, float[]> parameters, int[][] rows) implements Serializable {
}
