package dev.theta.spark;

import dev.theta.api.data.InMemoryDataset;
import dev.theta.api.graph.Graph;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.SplitStep;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.core.Experiment;
import dev.theta.core.Model;
import dev.theta.core.TrainingData;
import dev.theta.core.TrainingListener;
import dev.theta.core.TrainingOptions;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cost model of Spark training, measured in one invocation on {@code local[2]} against the local trainer
 * ({@link Experiment#train}): Fashion-MNIST softmax regression (epoch time, per-step overhead), then MLPs 784-H-10 of
 * growing hidden width H (per-step overhead as a share of a Spark step). Run by {@code bench/spark-overhead.sh}.
 *
 * <p>Compute per step = what the executors must do at the least: the gradient graph on one partition's share (both
 * partitions run in parallel) plus the update graph, timed here on one thread outside Spark. Overhead = Spark's
 * median step − compute: scheduling a job, broadcasting parameters, two tasks, collecting the gradient sums.
 */
public final class SparkOverheadBench {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int BATCH = 256;
    private static final int PARTITIONS = 2;

    private SparkOverheadBench() {
    }

    /** Arguments: MLP steps per width (default 40), then hidden widths (default 64 256 1024 4096). */
    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int[] widths = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {64, 256, 1024, 4096};
        Dataset fashion = load(0);
        Dataset part = load(steps * BATCH);
        try (JavaSparkContext spark = EmbeddedSpark.start("local[" + PARTITIONS + "]", "theta-spark-overhead")) {
            spark.setLogLevel("ERROR");
            Map<String, Object> linear = Map.of("name", "linear");
            // Warm-up: class loading, JIT and OpenBLAS's first calls, for every trainer measured below.
            local(linear, part, BATCH);
            try (TrainingShards shards = TrainingShards.of(spark, part, PARTITIONS)) {
                spark(spark, linear, shards, 1, BATCH);
                spark(spark, linear, shards, 4, BATCH);
            }
            softmax(spark, linear, fashion);
            List<double[]> points = mlps(spark, part, steps, widths);
            model(points);
            largeBatch(spark, fashion, widths[widths.length - 1], 2048);
        }
    }

    /** Three rounds of local, sync and averaging epochs, interleaved so that the machine's load hits all alike. */
    private static void softmax(JavaSparkContext spark, Map<String, Object> linear, Dataset fashion) throws Exception {
        System.out.printf("Fashion-MNIST softmax regression, %d examples, batch %d, 1 epoch, %d partitions, 3 runs each%n",
                fashion.size(), BATCH, PARTITIONS);
        List<Timing> local = new ArrayList<>();
        List<Timing> sync = new ArrayList<>();
        List<Timing> averaged = new ArrayList<>();
        List<Double> compute = new ArrayList<>();
        try (TrainingShards shards = TrainingShards.of(spark, fashion, PARTITIONS)) {
            for (int run = 0; run < 3; run++) {
                local.add(local(linear, fashion, BATCH));
                sync.add(spark(spark, linear, shards, 1, BATCH));
                averaged.add(spark(spark, linear, shards, 4, BATCH));
                compute.add(computeMillis(linear, fashion, BATCH));
            }
        }
        Timing l = Timing.median(local);
        Timing s = Timing.median(sync);
        Timing a = Timing.median(averaged);
        double c = median(compute);
        System.out.printf("%-28s %10s %16s%n", "(medians of 3 runs)", "epoch s", "median step ms");
        System.out.printf("%-28s %10.2f %16.2f%n", "local trainer", l.seconds, l.medianStep);
        System.out.printf("%-28s %10.2f %16.2f%n", "local[2] sync SGD", s.seconds, s.medianStep);
        System.out.printf("%-28s %10.2f %16.2f   (a round of 4 steps / 4)%n", "local[2] averaging, K = 4", a.seconds, a.medianStep / 4);
        System.out.printf("compute per step %.2f ms; Spark's overhead per step %.1f ms (%.0f %% of a step)%n", c, s.medianStep - c,
                100 * (s.medianStep - c) / s.medianStep);
        System.out.printf("ratios: sync step / local step %.0f; epoch sync / local %.1f, averaging K=4 / local %.1f, sync / averaging K=4 %.1f%n",
                s.medianStep / l.medianStep, s.seconds / l.seconds, a.seconds / l.seconds, s.seconds / a.seconds);
    }

    /** Per width: {parameters, overhead ms, compute ms / (parameters · share)}; prints the table. */
    private static List<double[]> mlps(JavaSparkContext spark, Dataset part, int steps, int[] widths) throws Exception {
        System.out.printf("%nMLP 784-H-10 (ReLU), SGD, batch %d, %d steps, median step past step 10%n", BATCH, steps);
        System.out.printf("%6s %10s %12s %12s %12s %12s %10s %14s%n", "H", "params", "local ms", "local[2] ms",
                "compute ms", "overhead ms", "overhead", "local[2]/local");
        List<double[]> points = new ArrayList<>();
        Integer crossing = null;
        for (int h : widths) {
            Map<String, Object> mlp = Map.of("name", "mlp", "hidden", List.of(h));
            long params = 784L * h + h + (long) h * 10 + 10;
            Timing l = local(mlp, part, BATCH);
            Timing s;
            try (TrainingShards shards = TrainingShards.of(spark, part, PARTITIONS)) {
                s = spark(spark, mlp, shards, 1, BATCH);
            }
            double c = computeMillis(mlp, part, BATCH);
            double share = (s.medianStep - c) / s.medianStep;
            System.out.printf("%6d %10d %12.2f %12.2f %12.2f %12.2f %9.0f%% %14.2f%n", h, params, l.medianStep, s.medianStep,
                    c, s.medianStep - c, 100 * share, s.medianStep / l.medianStep);
            if (crossing == null && share < 0.10) {
                crossing = h;
            }
            points.add(new double[] {params, s.medianStep - c, c / ((double) params * BATCH / PARTITIONS)});
        }
        System.out.println(crossing == null ? "measured: Spark's per-step overhead stays >= 10 % of a step up to H = " + widths[widths.length - 1]
                : "measured: Spark's per-step overhead is < 10 % of a step from H = " + crossing);
        return points;
    }

    /**
     * The cost model fitted to the MLP points: overhead = a + b·P (least squares over P parameters), compute =
     * c·P·(rows per partition) (median c). Overhead under 10 % of a step needs a + b·P &lt; (c·P·B/p) / 9.
     */
    private static void model(List<double[]> points) {
        double mp = 0;
        double mo = 0;
        for (double[] q : points) {
            mp += q[0] / points.size();
            mo += q[1] / points.size();
        }
        double sxy = 0;
        double sxx = 0;
        List<Double> cs = new ArrayList<>();
        for (double[] q : points) {
            sxy += (q[0] - mp) * (q[1] - mo);
            sxx += (q[0] - mp) * (q[0] - mp);
            cs.add(q[2]);
        }
        double b = sxy / sxx;
        double a = mo - b * mp;
        double c = median(cs);
        System.out.printf("%nfitted: overhead = %.1f ms + %.1f ns per parameter; compute = %.3f ns per parameter per row of a partition's share%n",
                a, b * 1e6, c * 1e6);
        double rows = 9 * b / c;
        System.out.printf("so overhead < 10 %% of a step needs > %.0f rows per partition for a large model (global batch %.0f on %d partitions)",
                rows, rows * PARTITIONS, PARTITIONS);
        double perParameter = 0.1 * c * BATCH / PARTITIONS - 0.9 * b;
        System.out.println(perParameter > 0 ? String.format("; at batch %d, models of > %.2g parameters%n", BATCH, 0.9 * a / perParameter)
                : String.format("; at batch %d no model size gets there%n", BATCH));
    }

    /** The model's check at a larger batch: one epoch of the widest MLP (its first 10 steps not counted). */
    private static void largeBatch(JavaSparkContext spark, Dataset fashion, int h, int batch) throws Exception {
        Map<String, Object> mlp = Map.of("name", "mlp", "hidden", List.of(h));
        Timing l = local(mlp, fashion, batch);
        Timing s;
        try (TrainingShards shards = TrainingShards.of(spark, fashion, PARTITIONS)) {
            s = spark(spark, mlp, shards, 1, batch);
        }
        double c = computeMillis(mlp, fashion, batch);
        System.out.printf("check, H = %d at batch %d: local %.1f ms, local[2] %.1f ms, compute %.1f ms, overhead %.1f ms = %.0f %% of a step,"
                + " local[2]/local %.2f%n", h, batch, l.medianStep, s.medianStep, c, s.medianStep - c, 100 * (s.medianStep - c) / s.medianStep,
                s.medianStep / l.medianStep);
    }

    /** A run's wall time (training call) and median time between steps past the first ten. */
    private record Timing(double seconds, double medianStep) {
        static Timing median(List<Timing> runs) {
            return new Timing(SparkOverheadBench.median(runs.stream().map(Timing::seconds).toList()),
                    SparkOverheadBench.median(runs.stream().map(Timing::medianStep).toList()));
        }
    }

    private static Timing local(Map<String, Object> hypothesis, Dataset train, int batch) throws Exception {
        List<Long> times = new ArrayList<>();
        TrainingListener clock = new TrainingListener() {
            @Override
            public void onStep(long step, int epoch, double loss, double learningRate) {
                times.add(System.nanoTime());
            }
        };
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", "spark-overhead");
        config.put("seed", 0);
        config.put("hypothesis", hypothesis);
        config.put("loss", Map.of("name", "cross-entropy"));
        config.put("optimizer", Map.of("name", "sgd", "lr", 0.1));
        config.put("train", Map.of("epochs", 1, "batch-size", batch));
        config.put("backend", Map.of("name", "cpu"));
        Dataset test = new InMemoryDataset(train.spec(), head(train.features(), 64, train.size()), head(train.targets(), 64, train.size()), "test");
        long start = System.nanoTime();
        try (Model ignored = Experiment.fromMap(config).train(TrainingData.of(train).withTest(test),
                TrainingOptions.defaults().withListener(clock))) {
            return new Timing((System.nanoTime() - start) / 1e9, medianGap(times));
        }
    }

    /** Sync SGD (localSteps 1) or parameter averaging; a round of averaging is one "step" of the timing. */
    private static Timing spark(JavaSparkContext spark, Map<String, Object> hypothesis, TrainingShards shards, int localSteps,
                                int batch) {
        List<Long> times = new ArrayList<>();
        TrainingListener clock = new TrainingListener() {
            @Override
            public void onStep(long step, int epoch, double loss, double learningRate) {
                if (step % localSteps == 0) {
                    times.add(System.nanoTime());
                }
            }
        };
        PluginRecipe recipe = recipe(hypothesis, shards.spec());
        SyncSgd.Settings settings = new SyncSgd.Settings(PARTITIONS, batch, 1, true, 0, 0);
        long start = System.nanoTime();
        if (localSteps == 1) {
            new SyncSgd(spark, recipe, settings, step -> 0.1, clock).train(shards);
        } else {
            new ParameterAveraging(spark, recipe, settings, localSteps, step -> 0.1, clock).train(shards);
        }
        return new Timing((System.nanoTime() - start) / 1e9, medianGap(times));
    }

    /** Median ms of one partition's gradient graph on its share of a batch plus the update graph, on one thread. */
    private static double computeMillis(Map<String, Object> hypothesis, Dataset data, int batch) {
        ModelPlugins plugins = recipe(hypothesis, data.spec()).build();
        TrainingProgram program = TrainingProgram.build(plugins.data(), plugins.hypothesis(), plugins.loss(), plugins.optimizer(), 0);
        Map<String, Tensor> initial = program.initialParameters();
        Graph gradient = SplitStep.gradientGraph(plugins.data(), plugins.hypothesis(), plugins.loss(), initial);
        Graph update = SplitStep.updateGraph(plugins.loss(), plugins.optimizer(), initial, 0);
        int share = batch / PARTITIONS;
        CpuBackend cpu = new CpuBackend(1);
        try (Executable g = cpu.compile(gradient, share); Executable u = cpu.compile(update, 1)) {
            Shard shard = Shard.of(0, data, 0, share);
            int[] rows = new int[share];
            Arrays.setAll(rows, i -> i);
            update.initialValues().forEach((name, value) -> u.input(name).copyFrom(value));
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                shard.gather(rows, g.input(TrainingProgram.FEATURES), g.input(TrainingProgram.TARGETS));
                g.run();
                for (String name : initial.keySet()) {
                    u.input(SplitStep.gradient(name)).copyFrom(g.output(SplitStep.gradient(name)));
                }
                u.input(TrainingProgram.WEIGHT_SUM).floats()[0] = share;
                u.input(TrainingProgram.LEARNING_RATE).floats()[0] = 0.1f;
                u.input(TrainingProgram.STEP).floats()[0] = i + 1;
                u.run();
                times.add(System.nanoTime());
            }
            return medianGap(times);
        }
    }

    private static PluginRecipe recipe(Map<String, Object> hypothesis, dev.theta.api.spi.DataSpec spec) {
        return PluginRecipe.of(hypothesis, Map.of("name", "cross-entropy"), Map.of("name", "sgd", "lr", 0.1), spec);
    }

    /** The training images (all, or the first {@code limit}). */
    private static Dataset load(int limit) throws Exception {
        DatasetProvider idx = PluginRegistry.discover(SparkOverheadBench.class.getClassLoader()).get(PluginKind.DATASET, DatasetProvider.class, "idx");
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("images", FASHION.resolve("train-images-idx3-ubyte.gz").toString());
        options.put("labels", FASHION.resolve("train-labels-idx1-ubyte.gz").toString());
        if (limit > 0) {
            options.put("limit", limit);
        }
        return idx.load(idx.options().validate(options, "data.train", List.of()), Path.of("."));
    }

    private static Tensor head(Tensor t, int count, int n) {
        int size = t.size() / n;
        int[] dims = t.shape().dims().clone();
        dims[0] = count;
        return switch (t.dtype()) {
            case INT64 -> Tensor.of(dev.theta.api.tensor.Shape.of(dims), Arrays.copyOf(t.longs(), count * size));
            default -> Tensor.of(dev.theta.api.tensor.Shape.of(dims), Arrays.copyOf(t.floats(), count * size));
        };
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** Median ms between consecutive timestamps past the first ten (compilation, warm-up). */
    private static double medianGap(List<Long> times) {
        List<Long> gaps = new ArrayList<>();
        for (int i = Math.min(11, times.size() - 1); i < times.size(); i++) {
            gaps.add(times.get(i) - times.get(i - 1));
        }
        gaps.sort(null);
        return gaps.get(gaps.size() / 2) / 1e6;
    }
}
