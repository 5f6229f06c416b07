package dev.theta.runner.training;

import dev.theta.api.tensor.Tensor;

import java.util.List;
import java.util.Map;

/** The metrics of every epoch and split, and the trained parameters keyed by graph input name. */
public record TrainingResult(List<EpochMetrics> history, Map<String, Tensor> parameters) {
}
