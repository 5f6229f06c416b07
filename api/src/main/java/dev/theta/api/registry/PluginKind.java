package dev.theta.api.registry;

import dev.theta.api.spi.BackendProvider;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.api.spi.ExporterProvider;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.spi.Provider;
import dev.theta.api.spi.ScheduleProvider;

/** The kinds of plugins, each found through its provider interface. */
public enum PluginKind {
    HYPOTHESIS("hypothesis", HypothesisProvider.class),
    LOSS("loss", LossProvider.class),
    OPTIMIZER("optimizer", OptimizerProvider.class),
    DATASET("dataset", DatasetProvider.class),
    BACKEND("backend", BackendProvider.class),
    SCHEDULE("schedule", ScheduleProvider.class),
    EXPORTER("exporter", ExporterProvider.class);

    private final String label;
    private final Class<? extends Provider> type;

    PluginKind(String label, Class<? extends Provider> type) {
        this.label = label;
        this.type = type;
    }

    public String label() {
        return label;
    }

    public Class<? extends Provider> type() {
        return type;
    }
}
