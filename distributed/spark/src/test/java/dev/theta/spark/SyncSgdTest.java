package dev.theta.spark;

import dev.theta.api.data.InMemoryDataset;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.api.tensor.Tensor;
import dev.theta.core.Experiment;
import dev.theta.core.Model;
import dev.theta.core.TrainingData;
import dev.theta.core.TrainingListener;
import dev.theta.core.TrainingOptions;
import dev.theta.core.run.Npz;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Synchronous data-parallel SGD on {@code local[2]} against theta's own local trainer ({@link Experiment#train}) on
 * the same data, seed and batches: the bars of issue 17.
 */
class SyncSgdTest {
    private static final Path WDBC = Path.of("../../examples/data/breast_cancer.csv");
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static JavaSparkContext spark;

    @BeforeAll
    static void start() {
        spark = EmbeddedSpark.start("local[2]", "theta-test");
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    /** Full-batch gradient descent on standardised WDBC, 50 steps: the parameters within 1e-6 relative. */
    @Test
    void fullBatchGradientDescentOnWdbcGivesTheLocalParameters(@TempDir Path dir) throws Exception {
        Dataset wdbc = standardized(load("csv", Map.of("path", WDBC.toAbsolutePath().toString())));
        Map<String, Object> optimizer = Map.of("name", "sgd", "lr", 0.5);
        Map<String, Object> config = config(optimizer, 50, wdbc.size());
        Map<String, Tensor> local = localParameters(config, wdbc, dir);

        int[] compiled = new int[1];
        SyncSgd[] trainer = new SyncSgd[1];
        TrainingListener lastStep = new TrainingListener() {
            @Override
            public void onStep(long step, int epoch, double loss, double learningRate) {
                compiled[0] = ExecutorPrograms.compilations(trainer[0].run());
            }
        };
        SyncSgd sgd = new SyncSgd(spark, recipe(optimizer, wdbc), new SyncSgd.Settings(2, wdbc.size(), 50, true, 0, 0),
                step -> 0.5, lastStep);
        trainer[0] = sgd;
        long start = System.nanoTime();
        SyncSgd.Result result = sgd.train(wdbc);
        double seconds = (System.nanoTime() - start) / 1e9;
        double worst = 0;
        for (Map.Entry<String, Tensor> p : local.entrySet()) {
            worst = Math.max(worst, relative(p.getValue().floats(), result.parameters().get("param/" + p.getKey()).floats()));
        }
        System.out.printf("wdbc full batch, 50 steps on local[2] in %.2f s: max relative parameter difference %.3g%n", seconds, worst);
        assertTrue(worst < 1e-6, "relative difference " + worst);
        // local[2]: the executor is this JVM; two shards of fixed sizes, so one executable each for all 50 steps.
        assertEquals(2, compiled[0], "gradient executables compiled");
        assertTrue(result.losses()[49] < 0.5 * result.losses()[0], "it trains: " + result.losses()[0] + " -> " + result.losses()[49]);
    }

    /** Minibatch SGD, softmax regression, global batch 256: the loss of each of the first 100 steps within 1e-5. */
    @Test
    void minibatchSoftmaxRegressionFollowsTheLocalLossTrajectory(@TempDir Path dir) throws Exception {
        int n = 100 * 256;
        Dataset train = Files.isDirectory(FASHION) ? load("idx", Map.of(
                "images", FASHION.resolve("train-images-idx3-ubyte.gz").toString(),
                "labels", FASHION.resolve("train-labels-idx1-ubyte.gz").toString(), "limit", n)) : synthetic(n, 784, 10);
        Map<String, Object> optimizer = Map.of("name", "sgd", "lr", 0.1);
        List<Double> local = new ArrayList<>();
        List<Long> localTimes = new ArrayList<>();
        localParameters(config(optimizer, 1, 256), train, dir, local, localTimes);

        List<Long> sparkTimes = new ArrayList<>();
        TrainingListener clock = new TrainingListener() {
            @Override
            public void onStep(long step, int epoch, double loss, double learningRate) {
                sparkTimes.add(System.nanoTime());
            }
        };
        SyncSgd sgd = new SyncSgd(spark, recipe(optimizer, train), new SyncSgd.Settings(2, 256, 1, true, 0, 0),
                step -> 0.1, clock);
        long start = System.nanoTime();
        SyncSgd.Result result = sgd.train(train);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(100, local.size());
        double worst = 0;
        for (int i = 0; i < 100; i++) {
            worst = Math.max(worst, Math.abs(result.losses()[i] - local.get(i)) / Math.abs(local.get(i)));
        }
        System.out.printf("softmax regression (%s), batch 256, 100 steps on local[2] in %.2f s: max relative loss difference %.3g%n",
                Files.isDirectory(FASHION) ? "Fashion-MNIST" : "synthetic", seconds, worst);
        System.out.printf("median step after the first 10: local trainer %.2f ms, local[2] %.2f ms%n",
                medianStepMillis(localTimes), medianStepMillis(sparkTimes));
        assertTrue(worst < 1e-5, "relative loss difference " + worst);
        assertEquals(0, ExecutorPrograms.compilations(sgd.run()), "executables are released at the end of a run");
    }

    private static Map<String, Object> config(Map<String, Object> optimizer, int epochs, int batch) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", "spark-reference");
        config.put("seed", 0);
        config.put("hypothesis", Map.of("name", "linear"));
        config.put("loss", Map.of("name", "cross-entropy"));
        config.put("optimizer", optimizer);
        config.put("train", Map.of("epochs", epochs, "batch-size", batch));
        config.put("backend", Map.of("name", "cpu"));
        return config;
    }

    private static PluginRecipe recipe(Map<String, Object> optimizer, Dataset data) {
        return PluginRecipe.of(Map.of("name", "linear"), Map.of("name", "cross-entropy"), optimizer, data.spec());
    }

    private static Map<String, Tensor> localParameters(Map<String, Object> config, Dataset train, Path dir) throws Exception {
        return localParameters(config, train, dir, new ArrayList<>(), new ArrayList<>());
    }

    /** Trains with the local trainer; {@code losses} receives every step's loss, {@code times} the time it ended. */
    private static Map<String, Tensor> localParameters(Map<String, Object> config, Dataset train, Path dir, List<Double> losses,
                                                       List<Long> times) throws Exception {
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(long step, int epoch, double loss, double learningRate) {
                losses.add(loss);
                times.add(System.nanoTime());
            }
        };
        Dataset test = new InMemoryDataset(train.spec(), rows(train.features(), 64, train.size()), rows(train.targets(), 64, train.size()), "test");
        try (Model model = Experiment.fromMap(config).train(TrainingData.of(train).withTest(test),
                TrainingOptions.defaults().withListener(listener))) {
            model.saveCheckpoint(dir.resolve("local"));
        }
        return Npz.read(dir.resolve("local/parameters.npz"));
    }

    private static Dataset load(String name, Map<String, Object> options) throws Exception {
        DatasetProvider p = PluginRegistry.discover(SyncSgdTest.class.getClassLoader()).get(PluginKind.DATASET, DatasetProvider.class, name);
        return p.load(p.options().validate(options, "data.train", List.of()), Path.of("."));
    }

    /** Each feature shifted and scaled to mean 0, deviation 1, so that full-batch descent converges at a large rate. */
    private static Dataset standardized(Dataset d) {
        int n = d.size();
        int f = d.features().size() / n;
        float[] x = d.features().floats().clone();
        for (int j = 0; j < f; j++) {
            double mean = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                mean += x[i * f + j];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                sq += (x[i * f + j] - mean) * (x[i * f + j] - mean);
            }
            double sd = Math.sqrt(sq / n);
            for (int i = 0; i < n; i++) {
                x[i * f + j] = (float) ((x[i * f + j] - mean) / (sd == 0 ? 1 : sd));
            }
        }
        return new InMemoryDataset(d.spec(), Tensor.of(d.features().shape(), x), d.targets(), d.source());
    }

    /** Ten Gaussian clusters in {@code f} dimensions, for machines without the Fashion-MNIST package. */
    static Dataset synthetic(int n, int f, int k) {
        Random random = new Random(5);
        float[][] centres = new float[k][f];
        for (float[] c : centres) {
            for (int j = 0; j < f; j++) {
                c[j] = (float) random.nextGaussian() * 0.3f;
            }
        }
        float[] x = new float[n * f];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextInt(k);
            for (int j = 0; j < f; j++) {
                x[i * f + j] = centres[(int) y[i]][j] + (float) random.nextGaussian();
            }
        }
        return InMemoryDataset.classification(dev.theta.api.tensor.Shape.of(f), x, y, k, InMemoryDataset.indexNames(k), "synthetic");
    }

    private static Tensor rows(Tensor t, int count, int n) {
        int size = t.size() / n;
        int[] dims = t.shape().dims().clone();
        dims[0] = count;
        return switch (t.dtype()) {
            case INT64 -> Tensor.of(dev.theta.api.tensor.Shape.of(dims), java.util.Arrays.copyOf(t.longs(), count * size));
            default -> Tensor.of(dev.theta.api.tensor.Shape.of(dims), java.util.Arrays.copyOf(t.floats(), count * size));
        };
    }

    /** The median time between consecutive steps, past the first ten (compilation, warm-up). */
    static double medianStepMillis(List<Long> times) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 11; i < times.size(); i++) {
            gaps.add(times.get(i) - times.get(i - 1));
        }
        gaps.sort(null);
        return gaps.get(gaps.size() / 2) / 1e6;
    }

    static double relative(float[] expected, float[] actual) {
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
        }
        return diff / scale;
    }
}
