package dev.theta.core;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Stage;
import dev.theta.api.spi.Dataset;
import dev.theta.core.config.ConfigDocument;
import dev.theta.core.config.ConfigErrors;
import dev.theta.core.plugins.PluginDirectories;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.run.RunOutputs;
import dev.theta.core.training.QuietProgress;
import dev.theta.core.training.Trainer;
import dev.theta.core.training.TrainingResult;
import dev.theta.core.wiring.ChosenPlugins;
import dev.theta.core.wiring.DataModule;
import dev.theta.core.wiring.ExperimentModule;
import dev.theta.core.wiring.InMemoryDataModule;
import dev.theta.core.wiring.PluginsModule;
import dev.theta.core.wiring.RunModule;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training experiment: hypothesis, loss, optimizer, schedule, backend, loop settings and seed, under the same keys
 * as a YAML config. Build one in code ({@link #builder}) or read one ({@link #fromYaml}, {@link #fromJson},
 * {@link #fromFile}, {@link #fromMap}); then {@link #train} it on data. Immutable: {@link #with} returns a changed
 * copy. Every failure is a {@link ThetaException} with the message the {@code theta} command prints.
 */
public final class Experiment {
    private static final Path IN_CODE = Path.of("experiment");
    private final ConfigDocument document;

    private Experiment(ConfigDocument document) {
        this.document = document;
    }

    /** An experiment built in code; every method is named after its config key. */
    public static ExperimentBuilder builder() {
        return new ExperimentBuilder();
    }

    /** A config as YAML text; relative data paths are resolved against the working directory. */
    public static Experiment fromYaml(String yaml) {
        return parse(yaml);
    }

    /** A config as JSON text (JSON is YAML, so this reads the same way). */
    public static Experiment fromJson(String json) {
        return parse(json);
    }

    /** A config file (YAML or JSON); relative data paths are resolved against its folder. */
    public static Experiment fromFile(Path file) {
        try {
            return new Experiment(ConfigDocument.read(file));
        } catch (RuntimeException e) {
            throw ThetaException.of(e);
        }
    }

    /** A config as maps, lists and scalars, as a YAML parser would give them. */
    public static Experiment fromMap(Map<String, ?> config) {
        return new Experiment(ConfigDocument.of(config, IN_CODE, Path.of("").toAbsolutePath()));
    }

    private static Experiment parse(String text) {
        try {
            return new Experiment(ConfigDocument.parse(text, IN_CODE, Path.of("").toAbsolutePath()));
        } catch (RuntimeException e) {
            throw ThetaException.of(e);
        }
    }

    /** A copy with the value at dotted {@code path} set, as {@code --set path=value} does. */
    public Experiment with(String path, Object value) {
        ConfigDocument doc = document.copy();
        try {
            doc.set(path, value, "with(" + path + ")");
        } catch (RuntimeException e) {
            throw ThetaException.of(e);
        }
        return new Experiment(doc);
    }

    /** The config as maps, lists and scalars (a copy). */
    public Map<String, Object> asMap() {
        return new LinkedHashMap<>(document.copy().root());
    }

    /** Trains on {@code data}, writing nothing: the model, its metrics and its best checkpoint stay in memory. */
    public Model train(TrainingData data) {
        return train(data, TrainingOptions.defaults());
    }

    /** Trains on {@code data} with {@code options} (a run directory, a listener, a cancellation). */
    public Model train(TrainingData data, TrainingOptions options) {
        ConfigDocument doc = document(data);
        try {
            return ConfigErrors.located(doc, () -> {
                Injector injector = injector(doc, data, options);
                injector.getInstance(ChosenPlugins.class);
                RunDirectory runDirectory = injector.getInstance(RunDirectory.class);
                runDirectory.checkUsable();
                try (runDirectory) {
                    TrainingResult result = injector.getInstance(Trainer.class).train(null);
                    if (!runDirectory.isInMemory()) {
                        injector.getInstance(RunOutputs.class).write(result);
                    }
                    return TrainedModel.of(injector, result);
                }
            });
        } catch (RuntimeException e) {
            throw ThetaException.of(e);
        }
    }

    /** Checks the config and every plugin's options without reading data or training. */
    public void check() {
        ConfigDocument doc = document.copy();
        try {
            ConfigErrors.located(doc, () -> injector(doc, TrainingData.fromConfig(), TrainingOptions.defaults())
                    .getInstance(ChosenPlugins.class));
        } catch (RuntimeException e) {
            throw ThetaException.of(e);
        }
    }

    private static Injector injector(ConfigDocument doc, TrainingData data, TrainingOptions options) {
        Module run = new RunModule(c -> options.runDirectory() == null ? RunDirectory.inMemory()
                : new RunDirectory(options.runDirectory(), options.overwrite()), new QuietProgress(), options.interruption(),
                options.listener());
        Module dataModule = data.inConfig() ? new DataModule() : com.google.inject.util.Modules.combine(new DataModule(),
                new InMemoryDataModule(slots(data)));
        return Guice.createInjector(Stage.DEVELOPMENT, new PluginsModule(PluginDirectories.registry(doc)),
                new ExperimentModule(doc), dataModule, run);
    }

    private static Map<String, Dataset> slots(TrainingData data) {
        Map<String, Dataset> slots = new LinkedHashMap<>();
        slots.put("train", data.train());
        if (data.test() != null) {
            slots.put("test", data.test());
        }
        if (data.validation() != null) {
            slots.put("validation", data.validation());
        }
        return slots;
    }

    /**
     * The config to run: for data given in code, its {@code data} section names the in-memory slots and keeps the
     * split settings (a test share of 0.2 when neither test data nor {@code test-fraction} is given).
     */
    private ConfigDocument document(TrainingData data) {
        ConfigDocument doc = document.copy();
        if (data.inConfig()) {
            return doc;
        }
        Map<String, Object> section = new LinkedHashMap<>();
        if (doc.root().get("data") instanceof Map<?, ?> given) {
            for (String key : new String[] {"test-fraction", "validation-fraction", "stratify", "standardize"}) {
                if (given.containsKey(key)) {
                    section.put(key, given.get(key));
                }
            }
        }
        section.put("train", slot("train"));
        if (data.test() != null) {
            section.remove("test-fraction");
            section.put("test", slot("test"));
        } else {
            section.putIfAbsent("test-fraction", 0.2);
        }
        if (data.validation() != null) {
            section.remove("validation-fraction");
            section.put("validation", slot("validation"));
        }
        doc.set("data", section, "the data given in code");
        return doc;
    }

    private static Map<String, Object> slot(String name) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", InMemoryDataModule.NAME);
        m.put("slot", name);
        return m;
    }
}
