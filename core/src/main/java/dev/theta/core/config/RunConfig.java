package dev.theta.core.config;

import dev.theta.api.options.Option;
import dev.theta.api.options.OptionException;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated top level of a config: the run's name and seed, training settings, the data sources and the
 * chosen plugins (whose own options are validated against each plugin's schema once the plugin is known).
 * {@code distributed} is the engine the training steps run on, with its options; null for the local one.
 */
public record RunConfig(String name, long seed, DataConfig data, PluginChoice hypothesis, PluginChoice loss,
                        PluginChoice optimizer, PluginChoice schedule, PluginChoice backend, TrainSettings train,
                        PluginChoice export, PluginChoice distributed) {

    /** {@code distributed.engine} of a run whose steps run in this JVM, on its backend. */
    public static final String LOCAL_ENGINE = "local";

    private static final OptionSchema TOP = OptionSchema.of(
            Option.string("name", "", "run name; the run directory is runs/<name> (default: the config file's name)"),
            Option.integer("seed", 0, Range.NON_NEGATIVE, "seed of parameter initialisation, shuffling and splits"),
            Option.map("data", "train and test data: {train: {name: DATASET, ...}, test: {...} or test-fraction: F}"),
            Option.map("hypothesis", "the hypothesis: {name: NAME, options...}"),
            Option.map("loss", "the loss: {name: NAME, options...}"),
            Option.map("optimizer", "the optimizer: {name: NAME, lr: LR, options...}"),
            Option.map("schedule", "learning-rate schedule: {name: constant} (default), step, exponential, cosine; warm-up options"),
            Option.map("train", "training loop settings: epochs or max-iters, batch-size, eval-batch-size, shuffle, clip-grad-norm"),
            Option.map("backend", "where to run: {name: cpu} (default)"),
            Option.map("export", "model export after training: {format: onnx} (default) or none"),
            Option.map("distributed", "where the training steps run: {engine: local} (default), or {engine: spark, master: \"local[2]\","
                    + " partitions: 2} for data-parallel SGD on Spark (docs/distributed.md)"),
            Option.map("sweep", "a grid of runs for theta sweep: {metric: validation.accuracy, grid: {optimizer.lr: [0.1, 0.01]}}; theta train ignores it"));

    private static final OptionSchema TRAIN = OptionSchema.of(
            Option.integer("epochs", 10, Range.atLeast(1), "passes over the training data"),
            Option.integer("max-iters", null, Range.atLeast(1),
                    "train for this many steps instead of epochs, each on batch-size examples drawn at random with replacement").asOptional(),
            Option.integer("eval-interval", null, Range.atLeast(1),
                    "with max-iters: evaluate every this many steps (and count early stopping and selection in these units); default max-iters").asOptional(),
            Option.integer("eval-batches", 0, Range.NON_NEGATIVE,
                    "evaluate on this many batches of eval-batch-size drawn at random (seeded, the same each time) from each held-out split; 0 = the whole split"),
            Option.number("clip-grad-norm", null, new Range(0, false, Double.POSITIVE_INFINITY, false),
                    "scale the gradients down so that their global L2 norm is at most this (PyTorch clip_grad_norm_); default off").asOptional(),
            Option.integer("batch-size", 64, Range.atLeast(1), "examples per training step"),
            Option.integer("eval-batch-size", 1000, Range.atLeast(1), "examples per evaluation batch"),
            Option.bool("shuffle", true, "reshuffle the training data every epoch (seeded)"),
            Option.integer("checkpoint-every", 0, Range.NON_NEGATIVE, "also checkpoint every N training steps (0: only after every epoch)"),
            Option.integer("keep-checkpoints", 2, Range.atLeast(1), "how many of the newest checkpoints to keep"),
            Option.map("early-stopping", "stop when a metric stops improving: {metric: validation.loss, patience: 3, mode: min, min-delta: 0}"),
            Option.choice("select", "auto", List.of("auto", "best", "last"),
                    "which epoch's model the run keeps: best (by the early-stopping metric, else validation.loss), last, or auto (best when there is a validation split)"));

    private static final OptionSchema EARLY_STOPPING = OptionSchema.of(
            Option.choice("metric", "validation.loss", EarlyStopping.METRICS, "the metric watched after every epoch"),
            Option.integer("patience", 3, Range.atLeast(1), "epochs without improvement before stopping"),
            Option.choice("mode", "auto", List.of("auto", "min", "max"), "whether smaller or larger is better (auto: min for losses, max otherwise)"),
            Option.number("min-delta", 0.0, Range.NON_NEGATIVE, "the least change that counts as an improvement"),
            Option.bool(Selection.ON_TEST, false, "allow watching a test.* metric: that tunes on the test split (a warning is logged)"));

    private static final OptionSchema DATA = OptionSchema.of(
            Option.map("train", "the training data: {name: DATASET, options...}"),
            Option.map("test", "the test data; omit it to split train by test-fraction"),
            Option.number("test-fraction", null, new Range(0, false, 1, false), "share of train held out as test (seeded), when no test data is given").asOptional(),
            Option.map("validation", "the validation data (model selection reads it); omit it to split train by validation-fraction"),
            Option.number("validation-fraction", null, new Range(0, false, 1, false),
                    "share of the training rows held out as validation (seeded), when no validation data is given").asOptional(),
            Option.bool("stratify", false, "split test-fraction and validation-fraction per class, keeping each class's share"),
            Option.bool("standardize", false, "scale each feature to mean 0, std 1 using the training split's statistics"));

    /** Validates the top level of {@code doc}; {@code defaultName} is used when the config has no name. */
    public static RunConfig from(Map<String, Object> root, String defaultName) {
        // "export: none" is the one place a section may be a word instead of a map.
        boolean noExport = "none".equals(root.get("export"));
        // "plugins" is a list of directories, checked by PluginDirectories.
        Options top = TOP.validate(root, "", noExport ? Set.of("export", "plugins") : Set.of("plugins"));
        String name = top.getString("name").isEmpty() ? defaultName : top.getString("name");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new OptionException("name", name, "use letters, digits, '.', '_' and '-' only (it names the run directory)");
        }
        Map<String, Object> dataMap = section(root, "data", true);
        Options data = DATA.validate(dataMap, "data", Set.of());
        Map<String, Object> trainData = section(dataMap, "data.train", "train", true);
        Map<String, Object> testData = section(dataMap, "data.test", "test", false);
        Double fraction = data.has("test-fraction") ? data.getDouble("test-fraction") : null;
        if (testData == null && fraction == null) {
            throw new OptionException("data", "give test data (data.test) or a share of train to hold out (data.test-fraction)");
        }
        if (testData != null && fraction != null) {
            throw new OptionException("data.test-fraction", "give either data.test or data.test-fraction, not both");
        }
        Map<String, Object> validationData = section(dataMap, "data.validation", "validation", false);
        Double validationFraction = data.has("validation-fraction") ? data.getDouble("validation-fraction") : null;
        if (validationData != null && validationFraction != null) {
            throw new OptionException("data.validation-fraction", "give either data.validation or data.validation-fraction, not both");
        }
        boolean hasValidation = validationData != null || validationFraction != null;
        Map<String, Object> trainSection = orEmpty(section(root, "train", false));
        Options train = TRAIN.validate(trainSection, "train", Set.of());
        int maxIters = train.has("max-iters") ? train.getInt("max-iters") : 0;
        int evalInterval = iterationsCheck(trainSection, train, maxIters);
        Map<String, Object> stopping = section(orEmpty(section(root, "train", false)), "train.early-stopping", "early-stopping", false);
        Map<String, Object> backend = section(root, "backend", false);
        return new RunConfig(name, top.getInt("seed"),
                new DataConfig(PluginChoice.of(trainData, "data.train", null), testData == null ? null : PluginChoice.of(testData, "data.test", null),
                        fraction, validationData == null ? null : PluginChoice.of(validationData, "data.validation", null),
                        validationFraction, data.getBool("stratify"), data.getBool("standardize")),
                PluginChoice.of(section(root, "hypothesis", true), "hypothesis", null),
                PluginChoice.of(section(root, "loss", true), "loss", null),
                PluginChoice.of(section(root, "optimizer", true), "optimizer", null),
                PluginChoice.of(orEmpty(section(root, "schedule", false)), "schedule", "constant"),
                PluginChoice.of(orEmpty(backend), "backend", "cpu"),
                new TrainSettings(maxIters > 0 ? 0 : train.getInt("epochs"), maxIters, evalInterval, train.getInt("batch-size"),
                        train.getInt("eval-batch-size"), train.getInt("eval-batches"), train.getBool("shuffle"),
                        train.getInt("checkpoint-every"), train.getInt("keep-checkpoints"),
                        train.has("clip-grad-norm") ? train.getDouble("clip-grad-norm") : 0, earlyStopping(stopping, hasValidation),
                        Selection.of(train.getString("select"), earlyStopping(stopping, hasValidation), hasValidation)),
                noExport ? null : exportChoice(section(root, "export", false)), engineChoice(section(root, "distributed", false)));
    }

    /**
     * The engine of {@code distributed.engine} with its options, validated later against the engine's schema; null
     * for {@code local} (the default), which takes no options.
     */
    private static PluginChoice engineChoice(Map<String, Object> section) {
        Object engine = section == null ? null : section.get("engine");
        if (engine != null && !(engine instanceof String)) {
            throw new OptionException("distributed.engine", engine, "expected an engine name: local or spark");
        }
        if (engine == null || engine.equals(LOCAL_ENGINE)) {
            for (String key : section == null ? Set.<String>of() : section.keySet()) {
                if (!key.equals("engine")) {
                    throw new OptionException("distributed." + key, "the local engine takes no options; did you mean distributed.engine: spark?");
                }
            }
            return null;
        }
        return new PluginChoice((String) engine, section, "distributed", "engine");
    }

    /**
     * The eval interval of a run counted in iterations (0 for one counted in epochs): epochs and max-iters are
     * alternatives, and the interval divides max-iters, so that every interval has as many steps and a schedule
     * counting intervals as epochs ends with the run.
     */
    private static int iterationsCheck(Map<String, Object> section, Options train, int maxIters) {
        if (maxIters == 0) {
            if (train.has("eval-interval")) {
                throw new OptionException("train.eval-interval", train.getInt("eval-interval"),
                        "counts iterations: it needs train.max-iters (with train.epochs, every epoch is evaluated)");
            }
            return 0;
        }
        if (section.containsKey("epochs")) {
            throw new OptionException("train.max-iters", "give either train.epochs or train.max-iters, not both");
        }
        if (!train.has("eval-interval")) {
            return maxIters;
        }
        int interval = train.getInt("eval-interval");
        if (maxIters % interval != 0) {
            throw new OptionException("train.eval-interval", interval, "must divide train.max-iters = " + maxIters
                    + " (every evaluation ends an equal share of the run); e.g. " + largestDivisorAtMost(maxIters, interval));
        }
        return interval;
    }

    private static int largestDivisorAtMost(int n, int bound) {
        for (int d = bound; d > 1; d--) {
            if (n % d == 0) {
                return d;
            }
        }
        return 1;
    }

    private static EarlyStopping earlyStopping(Map<String, Object> section, boolean hasValidation) {
        if (section == null) {
            return null;
        }
        Options o = EARLY_STOPPING.validate(section, "train.early-stopping", Set.of());
        String metric = o.getString("metric");
        Selection.check("train.early-stopping", metric, o.getBool(Selection.ON_TEST), hasValidation);
        String mode = o.getString("mode");
        boolean minimise = mode.equals("auto") ? metric.endsWith(".loss") : mode.equals("min");
        return new EarlyStopping(metric, o.getInt("patience"), minimise, o.getDouble("min-delta"), o.getBool(Selection.ON_TEST));
    }

    private static PluginChoice exportChoice(Map<String, Object> section) {
        Map<String, Object> s = orEmpty(section);
        Object format = s.get("format");
        if (format != null && !(format instanceof String)) {
            throw new OptionException("export.format", format, "expected an exporter name such as onnx");
        }
        return new PluginChoice(format == null ? "onnx" : (String) format, s, "export", "format");
    }

    private static Map<String, Object> section(Map<String, Object> root, String key, boolean required) {
        return section(root, key, key, required);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> parent, String path, String key, boolean required) {
        Object v = parent.get(key);
        if (v == null) {
            if (required) {
                throw new OptionException(path, "required section is missing");
            }
            return null;
        }
        if (!(v instanceof Map<?, ?>)) {
            throw new OptionException(path, v, "expected a map");
        }
        return (Map<String, Object>) v;
    }

    private static Map<String, Object> orEmpty(Map<String, Object> m) {
        return m == null ? Map.of() : m;
    }

    /**
     * Where the data comes from: test and validation each from their own source or as a seeded share of the
     * training rows (null when absent), optionally stratified by class.
     */
    public record DataConfig(PluginChoice train, PluginChoice test, Double testFraction, PluginChoice validation,
                             Double validationFraction, boolean stratify, boolean standardize) {
        public boolean hasValidation() {
            return validation != null || validationFraction != null;
        }
    }

    /**
     * Training loop settings. A run counts {@code epochs} (then {@code maxIters} is 0) or {@code maxIters} steps of
     * batches drawn with replacement, evaluated every {@code evalInterval} steps (then {@code epochs} is 0); either
     * way the loop's unit (of metrics rows, checkpoints, early stopping, selection) is a {@link #unit}.
     * {@code evalBatches} 0 evaluates whole splits; {@code checkpointEvery} 0 means checkpoints after every unit
     * only; {@code clipGradNorm} 0 means no clipping; {@code earlyStopping} is null when training always runs to the end.
     */
    public record TrainSettings(int epochs, int maxIters, int evalInterval, int batchSize, int evalBatchSize, int evalBatches,
                                boolean shuffle, int checkpointEvery, int keepCheckpoints, double clipGradNorm,
                                EarlyStopping earlyStopping, Selection selection) {

        /** Whether the run counts iterations (max-iters) rather than epochs. */
        public boolean byIterations() {
            return maxIters > 0;
        }

        /** How many units the run has: epochs, or eval intervals. */
        public int units() {
            return byIterations() ? maxIters / evalInterval : epochs;
        }

        /** The training batch for {@code n} training examples: at most n per epoch; drawn batches are always full. */
        public int batch(int n) {
            return byIterations() ? batchSize : Math.min(batchSize, n);
        }

        /** Steps in every unit (an epoch's last batch may be smaller). */
        public int stepsPerUnit(int n) {
            return byIterations() ? evalInterval : (n + batch(n) - 1) / batch(n);
        }

        /** Unit {@code unit} as a user counts it: "epoch 14", or "iteration 2000" at the end of the 8th interval. */
        public String at(int unit) {
            return byIterations() ? "iteration " + (long) unit * evalInterval : "epoch " + unit;
        }

        /** {@code units} units as a user counts them: "1 epoch", "20 epochs", "2000 iterations". */
        public String span(int units) {
            return byIterations() ? (long) units * evalInterval + " iterations" : units + (units == 1 ? " epoch" : " epochs");
        }
    }

    /** Stop when {@code metric} ({@code split.name}) has not improved by {@code minDelta} for {@code patience} epochs. */
    public record EarlyStopping(String metric, int patience, boolean minimise, double minDelta, boolean onTest) {
        /** The metrics early stopping can watch. */
        public static final List<String> METRICS = List.of("validation.loss", "validation.accuracy", "validation.macro_f1",
                "validation.roc_auc", "test.loss", "test.accuracy", "test.macro_f1", "test.roc_auc", "train.loss", "train.accuracy");

        /** As written to the resolved config. */
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", metric);
            m.put("patience", patience);
            m.put("mode", minimise ? "min" : "max");
            m.put("min-delta", minDelta);
            m.put(Selection.ON_TEST, onTest);
            return m;
        }
    }

    /** A plugin named in the config, with its raw options (validated later against the plugin's schema). */
    public record PluginChoice(String name, Map<String, Object> raw, String path, String nameKey) {
        static PluginChoice of(Map<String, Object> section, String path, String defaultName) {
            Object name = section.get("name");
            if (name == null && defaultName == null) {
                throw new OptionException(path + ".name", "missing: say which plugin to use, e.g. " + path + ": {name: ...}");
            }
            if (name != null && !(name instanceof String)) {
                throw new OptionException(path + ".name", name, "expected a plugin name");
            }
            return new PluginChoice(name == null ? defaultName : (String) name, section, path, "name");
        }

        /** Options validated against {@code schema}. */
        public Options validate(OptionSchema schema) {
            return schema.validate(raw, path, List.of(nameKey));
        }
    }
}
