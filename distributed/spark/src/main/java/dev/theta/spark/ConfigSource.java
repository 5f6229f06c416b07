package dev.theta.spark;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.core.config.ConfigDocument;
import dev.theta.core.wiring.ExperimentModule;
import dev.theta.core.wiring.PluginsModule;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model of a run's resolved config (its config.yaml) and data spec, built in each JVM by the same wiring as
 * {@code theta train} ({@link ExperimentModule}): so framework options such as {@code loss.reduction} and optimizer
 * groups mean on the executors what they mean on the driver. Plugins are found by {@link java.util.ServiceLoader}
 * in the executor's class loader.
 */
final class ConfigSource implements ModelSource {
    private static final long serialVersionUID = 1L;
    private final LinkedHashMap<String, Object> config;
    private final int[] featureDims;
    private final String featureType;
    private final int classes;
    private final ArrayList<String> classNames;
    private final int[] targetDims;

    ConfigSource(Map<String, Object> config, DataSpec spec) {
        this.config = copy(config);
        this.featureDims = spec.featureShape().dims();
        this.featureType = spec.featureType().name();
        this.classes = spec.classes();
        this.classNames = new ArrayList<>(spec.classNames());
        this.targetDims = spec.targetShape().dims();
    }

    @Override
    public ModelPlugins build() {
        DataSpec spec = new DataSpec(Shape.of(featureDims), DType.valueOf(featureType), classes, classNames, Shape.of(targetDims));
        ConfigDocument doc = ConfigDocument.of(config, Path.of("config.yaml"), Path.of("."));
        Injector injector = Guice.createInjector(Stage.DEVELOPMENT,
                new PluginsModule(PluginRegistry.discover(ConfigSource.class.getClassLoader())),
                new ExperimentModule(doc), new AbstractModule() {
                    @Override
                    protected void configure() {
                        bind(DataSpec.class).toInstance(spec);
                    }
                });
        return new ModelPlugins(spec, injector.getInstance(Hypothesis.class), injector.getInstance(Loss.class),
                injector.getInstance(Optimizer.class));
    }

    /** A copy in serialisable collections (a resolved config holds maps, lists and scalars). */
    private static LinkedHashMap<String, Object> copy(Map<?, ?> map) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), copyValue(v)));
        return out;
    }

    private static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> m) {
            return copy(m);
        }
        if (value instanceof List<?> l) {
            ArrayList<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(copyValue(v)));
            return out;
        }
        return value;
    }
}
