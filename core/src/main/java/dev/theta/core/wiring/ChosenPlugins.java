package dev.theta.core.wiring;

import dev.theta.api.spi.BackendProvider;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.api.spi.ExporterProvider;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.spi.ScheduleProvider;

/**
 * Every plugin of a run, looked up and option-checked before any data is read, so a config mistake fails fast.
 * {@code testData} and {@code validationData} are null when that split is cut from the training data (or, for
 * validation, absent), {@code export} when export is off.
 */
public record ChosenPlugins(Chosen<DatasetProvider> trainData, Chosen<DatasetProvider> testData,
                           Chosen<DatasetProvider> validationData,
                           Chosen<HypothesisProvider> hypothesis, Chosen<LossProvider> loss,
                           Chosen<OptimizerProvider> optimizer, Chosen<ScheduleProvider> schedule,
                           Chosen<BackendProvider> backend, Chosen<ExporterProvider> export) {
}
