package dev.theta.spark;

import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.core.TrainingListener;
import dev.theta.core.datasets.Splits;
import dev.theta.core.datasets.Standardization;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameter averaging on {@code local[2]}: equal to sync SGD for K = 1 and plain SGD; trains WDBC with K = 4. */
class ParameterAveragingTest {
    private static final Path WDBC = Path.of("../../examples/data/breast_cancer.csv");
    private static JavaSparkContext spark;
    private static Dataset train;
    private static Dataset test;

    @BeforeAll
    static void start() throws Exception {
        spark = EmbeddedSpark.start("local[2]", "theta-averaging-test");
        DatasetProvider csv = PluginRegistry.discover(ParameterAveragingTest.class.getClassLoader())
                .get(PluginKind.DATASET, DatasetProvider.class, "csv");
        Dataset wdbc = csv.load(csv.options().validate(Map.of("path", WDBC.toAbsolutePath().toString()), "data.train", List.of()), Path.of("."));
        Splits.TrainTest split = Splits.split(wdbc, 0.2, 0, true, "test");
        Standardization s = Standardization.fit(split.train());
        train = s.apply(split.train());
        test = s.apply(split.test());
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    /** K = 1, plain SGD, a mean loss: the average of the partitions' steps is sync SGD's step. */
    @Test
    void oneLocalStepOfPlainSgdIsSyncSgd() {
        Map<String, Object> sgd = Map.of("name", "sgd", "lr", 0.1);
        SyncSgd.Settings settings = new SyncSgd.Settings(2, 64, 2, true, 0, 0);
        SyncSgd.Result sync = new SyncSgd(spark, recipe(sgd), settings, step -> 0.1, TrainingListener.NONE).train(train);
        SyncSgd.Result averaged = new ParameterAveraging(spark, recipe(sgd), settings, 1, step -> 0.1, TrainingListener.NONE).train(train);
        double worst = 0;
        for (Map.Entry<String, Tensor> p : sync.parameters().entrySet()) {
            worst = Math.max(worst, SyncSgdTest.relative(p.getValue().floats(), averaged.parameters().get(p.getKey()).floats()));
        }
        double lossWorst = 0;
        for (int i = 0; i < sync.losses().length; i++) {
            lossWorst = Math.max(lossWorst, Math.abs(sync.losses()[i] - averaged.losses()[i]) / sync.losses()[i]);
        }
        System.out.printf("wdbc, batch 64, 2 epochs, K = 1 vs sync SGD: max relative parameter difference %.3g, loss %.3g%n", worst, lossWorst);
        assertEquals(sync.losses().length, averaged.losses().length);
        assertTrue(worst < 1e-6, "relative parameter difference " + worst);
        assertTrue(lossWorst < 1e-6, "relative loss difference " + lossWorst);
    }

    /** K = 4 is not sync SGD, but it trains: the loss falls and the held-out accuracy reaches 0.9; Adam's state too. */
    @Test
    void fourLocalStepsTrain() {
        for (Map<String, Object> optimizer : List.of(Map.<String, Object>of("name", "sgd", "lr", 0.1),
                Map.<String, Object>of("name", "adam", "lr", 0.01))) {
            double lr = ((Number) optimizer.get("lr")).doubleValue();
            ParameterAveraging trainer = new ParameterAveraging(spark, recipe(optimizer), new SyncSgd.Settings(2, 32, 3, true, 0, 0),
                    4, step -> lr, TrainingListener.NONE);
            SyncSgd.Result r = trainer.train(train);
            float[] losses = r.losses();
            double accuracy = accuracy(r.parameters());
            System.out.printf("wdbc, %s, batch 32, 3 epochs, K = 4: loss %.4f -> %.4f, test accuracy %.4f%n",
                    optimizer.get("name"), losses[0], losses[losses.length - 1], accuracy);
            assertTrue(losses[losses.length - 1] < 0.5 * losses[0], optimizer + ": " + losses[0] + " -> " + losses[losses.length - 1]);
            assertTrue(accuracy >= 0.9, optimizer + ": accuracy " + accuracy);
            assertEquals(0, ExecutorPrograms.compilations(trainer.run()), "executables are released at the end of a run");
        }
    }

    @Test
    void localStepsAreAtLeastOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ParameterAveraging(spark,
                recipe(Map.of("name", "sgd")), new SyncSgd.Settings(2, 32, 1, true, 0, 0), 0, step -> 0.1, TrainingListener.NONE));
        assertEquals("distributed.local-steps = 0: must be in [1, inf)", e.getMessage());
    }

    private static PluginRecipe recipe(Map<String, Object> optimizer) {
        return PluginRecipe.of(Map.of("name", "linear"), Map.of("name", "cross-entropy"), optimizer, train.spec());
    }

    /** The share of test rows whose highest score is their class, with the predict graph of the trained parameters. */
    private static double accuracy(Map<String, Tensor> parameters) {
        ModelPlugins plugins = recipe(Map.of("name", "sgd")).build();
        int n = test.size();
        try (Executable exec = new CpuBackend(1).compile(TrainingProgram.predictGraph(test.spec(), plugins.hypothesis(), parameters), n)) {
            exec.input(TrainingProgram.FEATURES).copyFrom(test.features());
            exec.run();
            float[] scores = exec.output(TrainingProgram.SCORES).floats();
            int k = scores.length / n;
            long[] y = test.targets().longs();
            int right = 0;
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (scores[i * k + c] > scores[i * k + best]) {
                        best = c;
                    }
                }
                right += best == y[i] ? 1 : 0;
            }
            return (double) right / n;
        }
    }
}
