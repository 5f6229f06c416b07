package dev.theta.spark;

import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an executor needs to rebuild the model's graphs: plugin names and options as in a config, and the data spec.
 * Plugins are found by {@link java.util.ServiceLoader} in the JVM that calls {@link #build}, so a third-party plugin
 * must be on the executors' classpath too ({@code spark-submit --jars}).
 *
 * @param hypothesis the hypothesis section of a config ({@code name} and its options)
 * @param loss       the loss section
 * @param optimizer  the optimizer section
 */
public record PluginRecipe(Map<String, Object> hypothesis, Map<String, Object> loss, Map<String, Object> optimizer,
                           int[] featureDims, String featureType, int classes, List<String> classNames, int[] targetDims)
        implements ModelSource {

    public PluginRecipe {
        hypothesis = new LinkedHashMap<>(hypothesis);
        loss = new LinkedHashMap<>(loss);
        optimizer = new LinkedHashMap<>(optimizer);
        classNames = new ArrayList<>(classNames);
    }

    /** A recipe of three config sections for data of spec {@code data}. */
    public static PluginRecipe of(Map<String, ?> hypothesis, Map<String, ?> loss, Map<String, ?> optimizer, DataSpec data) {
        return new PluginRecipe(copy(hypothesis), copy(loss), copy(optimizer), data.featureShape().dims(),
                data.featureType().name(), data.classes(), data.classNames(), data.targetShape().dims());
    }

    public DataSpec data() {
        return new DataSpec(Shape.of(featureDims), DType.valueOf(featureType), classes, classNames, Shape.of(targetDims));
    }

    /** The plugins, found in {@code registry} by name and created from validated options. */
    public ModelPlugins build(PluginRegistry registry) {
        DataSpec spec = data();
        LossProvider lp = registry.get(PluginKind.LOSS, LossProvider.class, name(loss, "loss"));
        Loss l = lp.create(lp.options().validate(options(loss), "loss", List.of()), spec);
        HypothesisProvider hp = registry.get(PluginKind.HYPOTHESIS, HypothesisProvider.class, name(hypothesis, "hypothesis"));
        Hypothesis h = hp.create(hp.options().validate(options(hypothesis), "hypothesis", List.of()), spec, l.scores(spec));
        OptimizerProvider op = registry.get(PluginKind.OPTIMIZER, OptimizerProvider.class, name(optimizer, "optimizer"));
        Optimizer o = op.create(op.options().validate(options(optimizer), "optimizer", List.of()));
        return new ModelPlugins(spec, h, l, o);
    }

    /** As {@link #build(PluginRegistry)} with the plugins of {@link #pluginLoader()}. */
    @Override
    public ModelPlugins build() {
        return build(PluginRegistry.discover(pluginLoader()));
    }

    /**
     * The calling thread's context class loader where it sees theta's own classes, else this class's loader. Spark
     * runs tasks with the context loader of the jars shipped by {@code --jars} / {@code spark.jars}, so a plugin jar
     * shipped that way is found also where theta itself is on the executors' class path (an image, a Spark home),
     * and an embedding driver makes a plugin jar visible by setting its thread's context loader.
     */
    static ClassLoader pluginLoader() {
        ClassLoader own = PluginRecipe.class.getClassLoader();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context == null || context == own) {
            return own;
        }
        try {
            return Class.forName(PluginRecipe.class.getName(), false, context) == PluginRecipe.class ? context : own;
        } catch (ClassNotFoundException e) {
            return own;
        }
    }

    private static Map<String, Object> copy(Map<String, ?> section) {
        return new LinkedHashMap<>(section);
    }

    private static String name(Map<String, Object> section, String key) {
        Object name = section.get("name");
        if (!(name instanceof String s)) {
            throw new IllegalArgumentException(key + ".name: missing");
        }
        return s;
    }

    private static Map<String, Object> options(Map<String, Object> section) {
        Map<String, Object> options = new LinkedHashMap<>(section);
        options.remove("name");
        return options;
    }
}
