package dev.theta.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds an {@link Experiment} in code. Each method sets the config key it is named after, so
 * {@code .optimizer("sgd", Map.of("lr", 0.1))} is {@code optimizer: {name: sgd, lr: 0.1}}; options are checked
 * against the plugin's schema when the experiment trains (or on {@link Experiment#check}).
 */
public final class ExperimentBuilder {
    private final Map<String, Object> config = new LinkedHashMap<>();
    private final Map<String, Object> train = new LinkedHashMap<>();

    ExperimentBuilder() {
    }

    /** {@code name}: the run's name (its directory under runs/ on the command line). */
    public ExperimentBuilder name(String name) {
        config.put("name", name);
        return this;
    }

    /** {@code seed}: initial parameters, shuffling and splits derive from it. */
    public ExperimentBuilder seed(long seed) {
        config.put("seed", seed);
        return this;
    }

    public ExperimentBuilder hypothesis(String name) {
        return hypothesis(name, Map.of());
    }

    /** {@code hypothesis: {name: NAME, options...}}. */
    public ExperimentBuilder hypothesis(String name, Map<String, ?> options) {
        return plugin("hypothesis", name, options);
    }

    public ExperimentBuilder loss(String name) {
        return loss(name, Map.of());
    }

    public ExperimentBuilder loss(String name, Map<String, ?> options) {
        return plugin("loss", name, options);
    }

    public ExperimentBuilder optimizer(String name, Map<String, ?> options) {
        return plugin("optimizer", name, options);
    }

    public ExperimentBuilder schedule(String name, Map<String, ?> options) {
        return plugin("schedule", name, options);
    }

    /** {@code backend: {name: cpu}} (the default) or {@code onnxruntime}. */
    public ExperimentBuilder backend(String name) {
        return plugin("backend", name, Map.of());
    }

    /** {@code train.epochs}. */
    public ExperimentBuilder epochs(int epochs) {
        train.put("epochs", epochs);
        return this;
    }

    /** {@code train.max-iters} (instead of epochs) and {@code train.eval-interval}: steps on randomly drawn batches. */
    public ExperimentBuilder maxIters(int maxIters, int evalInterval) {
        train.put("max-iters", maxIters);
        train.put("eval-interval", evalInterval);
        return this;
    }

    /** {@code train.batch-size}. */
    public ExperimentBuilder batchSize(int batchSize) {
        train.put("batch-size", batchSize);
        return this;
    }

    /** Any other {@code train} settings: {@code eval-batch-size}, {@code early-stopping}, {@code select}... */
    public ExperimentBuilder train(Map<String, ?> settings) {
        train.putAll(settings);
        return this;
    }

    /**
     * The {@code data} section: dataset plugins ({@code train}, {@code test}, {@code validation}) or, for data given
     * in code, the split settings ({@code test-fraction}, {@code validation-fraction}, {@code stratify},
     * {@code standardize}).
     */
    public ExperimentBuilder data(Map<String, ?> data) {
        config.put("data", new LinkedHashMap<>(data));
        return this;
    }

    /** Any other top-level key, e.g. {@code set("export", "none")}. */
    public ExperimentBuilder set(String key, Object value) {
        config.put(key, value);
        return this;
    }

    public Experiment build() {
        Map<String, Object> c = new LinkedHashMap<>(config);
        if (!train.isEmpty()) {
            c.put("train", new LinkedHashMap<>(train));
        }
        return Experiment.fromMap(c);
    }

    private ExperimentBuilder plugin(String key, String name, Map<String, ?> options) {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("name", name);
        section.putAll(options);
        config.put(key, section);
        return this;
    }
}
