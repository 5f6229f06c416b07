package dev.theta.runner.training;

import dev.theta.api.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * The metrics of every epoch and split, the trained parameters keyed by graph input name, and whether early
 * stopping ended the run before its last epoch.
 */
public record TrainingResult(List<EpochMetrics> history, Map<String, Tensor> parameters, boolean stoppedEarly) {
}
