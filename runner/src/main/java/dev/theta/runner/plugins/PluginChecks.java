package dev.theta.runner.plugins;

import dev.theta.api.options.Option;
import dev.theta.api.options.OptionType;
import dev.theta.api.options.Options;
import dev.theta.api.registry.PluginException;
import dev.theta.api.train.PluginFault;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.registry.Registered;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.BackendProvider;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Exporter;
import dev.theta.api.spi.ExporterProvider;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.LearningRateSchedule;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.spi.Provider;
import dev.theta.api.spi.ScheduleProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code theta check}: runs the checks of one provider's kind against it, with theta's built-in plugins as
 * companions (a loss is checked with the {@code linear} hypothesis and {@code sgd}, and so on).
 */
public final class PluginChecks {
    static final String DESCRIBED = "name, description and option docs";
    static final String SETUP = "small random problem";

    /** What was checked and the rows of the table. */
    public record Report(Registered<?> plugin, String setup, List<CheckResult> results) {
        public List<String> failed() {
            return results.stream().filter(CheckResult::failed).map(CheckResult::check).toList();
        }
    }

    private static final List<String> HYPOTHESES = List.of("linear", "linear-binary", "ngram-mlp");
    private static final List<String> LOSSES = List.of("cross-entropy", "logistic", "squared-error");
    private static final List<String> OPTIMIZERS = List.of("sgd");

    private final PluginRegistry registry;

    public PluginChecks(PluginRegistry registry) {
        this.registry = registry;
    }

    public Report check(Registered<?> plugin) {
        List<CheckResult> results = new ArrayList<>();
        results.add(CheckResult.run(DESCRIBED, () -> described(plugin.provider())));
        String setup = "";
        switch (plugin.kind()) {
            case LOSS, HYPOTHESIS, OPTIMIZER -> {
                List<String> errors = new ArrayList<>();
                CheckProblem problem;
                try {
                    problem = problem(plugin, errors);
                } catch (PluginFault e) {
                    results.add(CheckResult.fail(SETUP, "its part of the training program is wrong: it " + e.getMessage()));
                    break;
                }
                if (problem == null) {
                    // Plugins for data of other shapes (image-text pairs, say) refuse every problem theta check draws.
                    results.add(CheckResult.skip(SETUP, "no small random problem fits it: " + String.join("; ", errors)));
                } else if (problem.loss().notTrainableReason() != null) {
                    setup = problem.description();
                    results.add(CheckResult.skip(TrainingChecks.GRADIENT, "not trainable (a metric): " + problem.loss().notTrainableReason()));
                } else {
                    setup = problem.description();
                    results.addAll(new TrainingChecks(problem, backend("cpu"), backend("onnxruntime"), exporter("onnx")).run());
                }
            }
            case BACKEND -> {
                BackendProvider p = (BackendProvider) plugin.provider();
                setup = "every primitive case of the conformance suite";
                Backend backend;
                try {
                    backend = p.create(defaults(p));
                } catch (RuntimeException | LinkageError e) {
                    results.add(CheckResult.fail("create with default options", e.toString()));
                    break;
                }
                results.addAll(BackendChecks.run(backend));
            }
            case EXPORTER -> {
                ExporterProvider p = (ExporterProvider) plugin.provider();
                List<String> errors = new ArrayList<>();
                CheckProblem problem = problem(find(PluginKind.LOSS, "cross-entropy"), errors);
                setup = problem.description();
                Exporter exporter = p.create(defaults(p));
                results.add(new TrainingChecks(problem, backend("cpu"), backend("onnxruntime"), exporter).exportOnly());
            }
            case SCHEDULE -> {
                ScheduleProvider p = (ScheduleProvider) plugin.provider();
                setup = "base learning rate 0.1, 3 epochs of 10 steps";
                results.add(CheckResult.run("learning rates finite and non-negative", () -> {
                    LearningRateSchedule s = p.create(defaults(p), 0.1, 10, 3);
                    for (long step = 1; step <= 30; step++) {
                        double lr = s.at(step);
                        if (!(lr >= 0) || Double.isInfinite(lr)) {
                            throw new IllegalStateException("step " + step + ": learning rate " + lr);
                        }
                    }
                    return "30 steps";
                }));
            }
            case DATASET -> results.add(CheckResult.skip("load", "datasets read files: try it with theta train"));
        }
        return new Report(plugin, setup, results);
    }

    private static String described(Provider p) {
        if (p.name() == null || p.name().isBlank() || !p.name().equals(p.name().strip())) {
            throw new IllegalStateException("name '" + p.name() + "' must be non-blank without spaces around it");
        }
        if (p.description() == null || p.description().isBlank()) {
            throw new IllegalStateException("no description");
        }
        for (Option o : p.options().options()) {
            if (o.doc() == null || o.doc().isBlank()) {
                throw new IllegalStateException("option '" + o.name() + "' has no doc");
            }
        }
        return p.options().options().size() + " options";
    }

    /** The first data shape and companions that the plugin under test and the companions all accept. */
    private CheckProblem problem(Registered<?> plugin, List<String> errors) {
        List<String> hypotheses = plugin.kind() == PluginKind.HYPOTHESIS ? List.of(plugin.name()) : HYPOTHESES;
        List<String> losses = plugin.kind() == PluginKind.LOSS ? List.of(plugin.name()) : LOSSES;
        List<String> optimizers = plugin.kind() == PluginKind.OPTIMIZER ? List.of(plugin.name()) : OPTIMIZERS;
        for (DataSpec data : CheckProblem.candidates()) {
            for (String l : losses) {
                for (String h : hypotheses) {
                    for (String o : optimizers) {
                        try {
                            LossProvider lp = provider(PluginKind.LOSS, LossProvider.class, l, plugin);
                            Loss loss = lp.create(defaults(lp), data);
                            HypothesisProvider hp = provider(PluginKind.HYPOTHESIS, HypothesisProvider.class, h, plugin);
                            Hypothesis hypothesis = hp.create(defaults(hp), data, loss.scores(data));
                            OptimizerProvider op = provider(PluginKind.OPTIMIZER, OptimizerProvider.class, o, plugin);
                            Optimizer optimizer = op.create(defaults(op));
                            String description = describe(data) + "; hypothesis " + h + ", loss " + l + ", optimizer " + o;
                            CheckProblem problem = CheckProblem.draw(description, data, hypothesis, loss, optimizer);
                            if (loss.notTrainableReason() == null) {
                                problem.program();
                            }
                            return problem;
                        } catch (PluginException e) {
                            errors.add(e.getMessage());
                        } catch (PluginFault e) {
                            // The plugin under test built its part of the graph wrong: that is its failure, not a misfit.
                            if (e.kind() == plugin.kind()) {
                                throw e;
                            }
                            errors.add(e.getMessage());
                        } catch (RuntimeException e) {
                            if (errors.size() < 3) {
                                errors.add(describe(data) + " with " + h + ", " + l + ", " + o + ": " + e.getMessage());
                            }
                        }
                    }
                }
            }
        }
        return null;
    }

    private <P extends Provider> P provider(PluginKind kind, Class<P> type, String name, Registered<?> underTest) {
        return kind == underTest.kind() ? type.cast(underTest.provider()) : registry.get(kind, type, name);
    }

    private static String describe(DataSpec data) {
        String features = data.featureType().toString().toLowerCase(java.util.Locale.ROOT) + " features " + data.featureShape();
        return CheckProblem.BATCH + " examples, " + features + ", "
                + (data.isClassification() ? data.classes() + " classes" + (data.targetShape().rank() == 0 ? ""
                : " per position " + data.targetShape()) : "real targets");
    }

    private Registered<?> find(PluginKind kind, String name) {
        return registry.find(kind, name).orElseThrow(() -> new PluginException("theta check needs the built-in " + kind.label() + " '" + name + "'"));
    }

    private Backend backend(String name) {
        BackendProvider p = registry.get(PluginKind.BACKEND, BackendProvider.class, name);
        return p.create(defaults(p));
    }

    private Exporter exporter(String name) {
        ExporterProvider p = registry.get(PluginKind.EXPORTER, ExporterProvider.class, name);
        return p.create(defaults(p));
    }

    /** The defaults, and for a required number a value in its range (schedules require their decay step, say). */
    private static Options defaults(Provider p) {
        Map<String, Object> required = new java.util.LinkedHashMap<>();
        for (Option o : p.options().options()) {
            if (o.required() && (o.type() == OptionType.INT || o.type() == OptionType.FLOAT)) {
                double v = o.range().contains(0.5) ? 0.5 : o.range().contains(2) ? 2 : o.range().min() + 1;
                required.put(o.name(), o.type() == OptionType.INT ? (Object) (int) Math.max(1, Math.round(v)) : (Object) v);
            }
        }
        return p.options().validate(required, p.name(), List.of());
    }
}
