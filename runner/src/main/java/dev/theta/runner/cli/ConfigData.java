package dev.theta.runner.cli;

import dev.theta.core.config.ConfigErrors;
import com.google.inject.Guice;
import com.google.inject.Stage;
import dev.theta.core.plugins.PluginDirectories;
import dev.theta.core.config.ConfigDocument;
import dev.theta.core.training.TrainTestData;
import dev.theta.core.wiring.DataModule;
import dev.theta.core.wiring.ExperimentModule;
import dev.theta.core.wiring.PluginsModule;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The splits a config describes, with raw features: exported models standardise by themselves, so data for them is
 * read without the config's {@code standardize}.
 */
final class ConfigData {
    private ConfigData() {
    }

    @SuppressWarnings("unchecked")
    static TrainTestData rawSplits(Path config, List<String> overrides) {
        ConfigDocument doc = ConfigDocument.read(config);
        overrides.forEach(doc::override);
        if (doc.root().get("data") instanceof Map<?, ?> data) {
            ((Map<String, Object>) data).remove("standardize");
        }
        return ConfigErrors.located(doc, () -> Guice.createInjector(Stage.DEVELOPMENT,
                new PluginsModule(PluginDirectories.registry(doc)),
                new ExperimentModule(doc),
                new DataModule()).getInstance(TrainTestData.class));
    }
}
