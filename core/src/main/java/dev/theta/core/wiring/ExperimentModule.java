package dev.theta.core.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.BackendProvider;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.api.spi.Exporter;
import dev.theta.api.spi.ExporterProvider;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.LearningRateSchedule;
import dev.theta.api.spi.Loss;
import dev.theta.api.registry.Registered;
import dev.theta.core.training.PluginSources;
import dev.theta.api.spi.Reduction;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.spi.Provider;
import dev.theta.api.spi.ScheduleProvider;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.config.ConfigDocument;
import dev.theta.core.config.ResolvedConfig;
import dev.theta.core.config.RunConfig;
import dev.theta.core.config.RunConfig.PluginChoice;
import dev.theta.core.engine.ChosenEngine;
import dev.theta.core.engine.StepEngine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * From a config document to the plugins a run uses: the validated config, the chosen plugins and the created loss,
 * hypothesis, optimizer, backend and exporter. The data spec comes from {@link DataModule} (training) or from a
 * finished run ({@link StoredRunModule}). Wiring only: the work happens when an object is first
 * asked for.
 */
public final class ExperimentModule extends AbstractModule {
    private final ConfigDocument document;

    public ExperimentModule(ConfigDocument document) {
        this.document = document;
    }

    @Override
    protected void configure() {
        bind(ConfigDocument.class).toInstance(document);
    }

    @Provides
    @Singleton
    RunConfig runConfig(ConfigDocument doc) {
        String file = doc.file().getFileName().toString();
        return RunConfig.from(doc.root(), file.replaceFirst("\\.(ya?ml|json)$", ""));
    }

    @Provides
    @Singleton
    ChosenPlugins plugins(RunConfig c, PluginRegistry registry, Map<String, DatasetProvider> datasets,
                          Map<String, HypothesisProvider> hypotheses, Map<String, LossProvider> losses,
                          Map<String, OptimizerProvider> optimizers, Map<String, ScheduleProvider> schedules,
                          Map<String, BackendProvider> backends, Map<String, ExporterProvider> exporters) {
        ChosenPlugins chosen = new ChosenPlugins(
                choose(datasets, registry, PluginKind.DATASET, DatasetProvider.class, c.data().train()),
                c.data().test() == null ? null : choose(datasets, registry, PluginKind.DATASET, DatasetProvider.class, c.data().test()),
                c.data().validation() == null ? null
                        : choose(datasets, registry, PluginKind.DATASET, DatasetProvider.class, c.data().validation()),
                choose(hypotheses, registry, PluginKind.HYPOTHESIS, HypothesisProvider.class, c.hypothesis()),
                choose(losses, registry, PluginKind.LOSS, LossProvider.class, c.loss()),
                choose(optimizers, registry, PluginKind.OPTIMIZER, OptimizerProvider.class, c.optimizer()),
                choose(schedules, registry, PluginKind.SCHEDULE, ScheduleProvider.class, c.schedule()),
                choose(backends, registry, PluginKind.BACKEND, BackendProvider.class, c.backend()),
                c.export() == null ? null : choose(exporters, registry, PluginKind.EXPORTER, ExporterProvider.class, c.export()));
        // The groups' options are checked with the rest of the config, before any data is read.
        ParameterGroups.of(chosen.optimizer());
        return chosen;
    }

    /** The provider named in {@code choice}; a miss asks the registry, which explains (unknown, duplicate, broken). */
    private static <P extends Provider> Chosen<P> choose(Map<String, P> map, PluginRegistry registry, PluginKind kind,
                                                         Class<P> type, PluginChoice choice) {
        P p = map.get(choice.name());
        if (p == null) {
            p = registry.get(kind, type, choice.name());
        }
        return new Chosen<>(p, choice.validate(FrameworkOptions.withFramework(kind, p.options())));
    }

    /** Each chosen plugin with its source (built in, or its jar and version), for reporting a plugin's faults. */
    @Provides
    @Singleton
    PluginSources pluginSources(ChosenPlugins p, PluginRegistry registry) {
        Map<PluginKind, String> described = new java.util.EnumMap<>(PluginKind.class);
        describe(described, registry, PluginKind.HYPOTHESIS, p.hypothesis());
        describe(described, registry, PluginKind.LOSS, p.loss());
        describe(described, registry, PluginKind.OPTIMIZER, p.optimizer());
        describe(described, registry, PluginKind.BACKEND, p.backend());
        return new PluginSources(described);
    }

    private static void describe(Map<PluginKind, String> described, PluginRegistry registry, PluginKind kind, Chosen<?> chosen) {
        String name = chosen.provider().name();
        String from = registry.find(kind, name).filter(r -> r.provider() == chosen.provider())
                .map(r -> r.source().equals(Registered.BUILT_IN) ? " (built in)" : " from " + r.source() + ", version " + r.version())
                .orElse("");
        described.put(kind, kind.label() + " '" + name + "'" + from);
    }

    /** The engine of the training steps; theta-spark's jars on the classpath bring {@code spark}. */
    @Provides
    @Singleton
    ChosenEngine engine(RunConfig c) {
        return ChosenEngine.of(c.distributed(), StepEngine.class.getClassLoader());
    }

    @Provides
    @Singleton
    ResolvedConfig resolvedConfig(RunConfig c, ChosenPlugins p, ChosenEngine engine) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("seed", c.seed());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("train", withName(p.trainData()));
        if (p.testData() != null) {
            data.put("test", withName(p.testData()));
        } else {
            data.put("test-fraction", c.data().testFraction());
        }
        if (p.validationData() != null) {
            data.put("validation", withName(p.validationData()));
        } else if (c.data().validationFraction() != null) {
            data.put("validation-fraction", c.data().validationFraction());
        }
        data.put("stratify", c.data().stratify());
        data.put("standardize", c.data().standardize());
        m.put("data", data);
        m.put("hypothesis", withName(p.hypothesis()));
        m.put("loss", withName(p.loss()));
        m.put("optimizer", withName(p.optimizer()));
        m.put("schedule", withName(p.schedule()));
        Map<String, Object> train = new LinkedHashMap<>();
        if (c.train().byIterations()) {
            train.put("max-iters", c.train().maxIters());
            train.put("eval-interval", c.train().evalInterval());
        } else {
            train.put("epochs", c.train().epochs());
        }
        train.put("batch-size", c.train().batchSize());
        train.put("eval-batch-size", c.train().evalBatchSize());
        train.put("eval-batches", c.train().evalBatches());
        train.put("shuffle", c.train().shuffle());
        train.put("checkpoint-every", c.train().checkpointEvery());
        train.put("keep-checkpoints", c.train().keepCheckpoints());
        if (c.train().clipGradNorm() > 0) {
            train.put("clip-grad-norm", c.train().clipGradNorm());
        }
        if (c.train().earlyStopping() != null) {
            train.put("early-stopping", c.train().earlyStopping().asMap());
        }
        train.put("select", c.train().selection() == null ? "last" : "best");
        m.put("train", train);
        m.put("backend", withName(p.backend()));
        m.put("export", p.export() == null ? "none" : exportSection(p.export()));
        if (!engine.isLocal()) {
            m.put("distributed", engine.asMap());
        }
        return new ResolvedConfig(m);
    }

    private static Map<String, Object> exportSection(Chosen<?> chosen) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", chosen.provider().name());
        m.putAll(withName(chosen));
        m.remove("name");
        return m;
    }

    private static Map<String, Object> withName(Chosen<?> chosen) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", chosen.provider().name());
        chosen.options().asMap().forEach((k, v) -> {
            if (v != null) {
                m.put(k, v);
            }
        });
        return m;
    }

    @Provides
    @Singleton
    Loss loss(ChosenPlugins plugins, DataSpec data) {
        var chosen = plugins.loss();
        Loss loss = chosen.provider().create(chosen.options(), data);
        return chosen.provider().options().get(FrameworkOptions.REDUCTION.name()) != null ? loss
                : FrameworkOptions.withReduction(loss, Reduction.of(chosen.options().getString(FrameworkOptions.REDUCTION.name())));
    }

    @Provides
    @Singleton
    Hypothesis hypothesis(ChosenPlugins plugins, DataSpec data, Loss loss) {
        var h = plugins.hypothesis();
        return h.provider().create(h.options(), data, loss.scores(data));
    }

    @Provides
    @Singleton
    Optimizer optimizer(ChosenPlugins plugins, Hypothesis hypothesis, DataSpec data) {
        return ParameterGroups.of(plugins.optimizer()).create(hypothesis, data);
    }

    /** The exporter a finished run writes its model with; empty when the config says {@code export: none}. */
    @Provides
    @Singleton
    Optional<Exporter> exporter(ChosenPlugins plugins) {
        return plugins.export() == null ? Optional.empty()
                : Optional.of(plugins.export().provider().create(plugins.export().options()));
    }

    @Provides
    @Singleton
    Backend backend(ChosenPlugins plugins) {
        Backend b = plugins.backend().provider().create(plugins.backend().options());
        String why = b.unavailableReason();
        if (why != null) {
            throw new UserError(ExitCode.PLUGIN, "backend '" + plugins.backend().provider().name() + "' cannot run here: " + why);
        }
        return b;
    }
}
