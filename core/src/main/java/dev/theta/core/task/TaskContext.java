package dev.theta.core.task;

import dev.theta.api.spi.Backend;
import dev.theta.api.spi.Hypothesis;
import dev.theta.core.training.TrainTestData;

/** What a task extension may look at to decide whether a run is its own: the hypothesis, the data, the backend. */
public record TaskContext(Hypothesis hypothesis, TrainTestData data, Backend backend) {
}
