package dev.theta.core;

import dev.theta.core.training.EpochMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** theta as a library: experiments in code or from text, in-memory data, models, listeners, cancellation, errors. */
class ExperimentTest {
    private static final int ROWS = 600;
    private static final int FEATURES = 6;

    @TempDir
    Path dir;

    private final float[][] x = new float[ROWS][FEATURES];
    private final int[] y = new int[ROWS];

    ExperimentTest() {
        Random r = new Random(3);
        for (int i = 0; i < ROWS; i++) {
            y[i] = i % 3;
            for (int f = 0; f < FEATURES; f++) {
                x[i][f] = (float) (r.nextGaussian() + (f % 3 == y[i] ? 2 : 0));
            }
        }
    }

    private static Experiment softmax() {
        return Experiment.builder()
                .hypothesis("linear")
                .loss("cross-entropy")
                .optimizer("sgd", Map.of("lr", 0.1, "momentum", 0.9))
                .epochs(5).batchSize(32).seed(1)
                .build();
    }

    @Test
    void trainsOnArraysInMemoryAndPredicts() throws Exception {
        Path before = Path.of("").toAbsolutePath();
        List<String> entries = list(before);
        try (Model model = softmax().train(TrainingData.of(x, y, List.of("a", "b", "c")))) {
            assertEquals(entries, list(before), "nothing written to the working directory");
            EpochMetrics test = model.metrics("test");
            assertTrue(test.accuracy() > 0.9, "test accuracy " + test.accuracy());
            assertEquals(120, test.examples(), "the default test share is 0.2");
            assertEquals(List.of("a", "b", "c"), model.classNames());
            int[] predicted = model.predict(x);
            int right = 0;
            for (int i = 0; i < ROWS; i++) {
                right += predicted[i] == y[i] ? 1 : 0;
            }
            assertTrue(right > 0.9 * ROWS);
            assertEquals("abc".charAt(model.predict(x[4])), model.predictClassName(x[4]).charAt(0));
            float[] p = model.predictProbabilities(new float[][] {x[0]})[0];
            assertEquals(1.0, p[0] + p[1] + p[2], 1e-5);

            Path onnx = dir.resolve("model.onnx");
            model.exportOnnx(onnx);
            try (Model loaded = Model.load(onnx)) {
                assertArrayEquals(predicted, loaded.predict(x), "ONNX Runtime on the exported model predicts the same");
                assertArrayEquals(p, loaded.predictProbabilities(new float[][] {x[0]})[0], 1e-5f);
                assertEquals(model.classNames(), loaded.classNames());
            }
            Path saved = dir.resolve("saved");
            model.saveCheckpoint(saved);
            try (Model loaded = Model.load(saved)) {
                assertArrayEquals(predicted, loaded.predict(x), "the checkpoint reloads to the same model");
            }
        }
    }

    @Test
    void theBuilderMeansWhatTheConfigSays() {
        Experiment yaml = Experiment.fromYaml("""
                hypothesis: {name: linear}
                loss: {name: cross-entropy}
                optimizer: {name: sgd, lr: 0.1, momentum: 0.9}
                train: {epochs: 5, batch-size: 32}
                seed: 1
                """);
        try (Model a = softmax().train(TrainingData.of(x, y)); Model b = yaml.train(TrainingData.of(x, y))) {
            assertArrayEquals(a.predictScores(x)[7], b.predictScores(x)[7]);
        }
    }

    @Test
    void aListenerFollowsAndACancellationStops() {
        AtomicInteger epochs = new AtomicInteger();
        AtomicInteger steps = new AtomicInteger();
        TrainingOptions.Cancellation cancel = new TrainingOptions.Cancellation();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(long step, int epoch, double loss, double learningRate) {
                steps.incrementAndGet();
                if (epoch == 2) {
                    cancel.cancel();
                }
            }

            @Override
            public void onEpoch(int epoch, List<EpochMetrics> metrics) {
                epochs.incrementAndGet();
            }
        };
        ThetaException.Cancelled e = assertThrows(ThetaException.Cancelled.class, () -> softmax().train(TrainingData.of(x, y),
                TrainingOptions.defaults().withListener(listener).withCancellation(cancel)));
        assertTrue(e.getMessage().contains("interrupted at epoch 2, step 1"), e.getMessage());
        assertEquals(1, epochs.get());
        assertEquals(16, steps.get(), "15 steps of epoch 1 (480 rows / 32) and the first of epoch 2");
    }

    @Test
    void aRunDirectoryIsWrittenOnlyWhenAsked() throws Exception {
        Path out = dir.resolve("run");
        try (Model m = softmax().train(TrainingData.of(x, y), TrainingOptions.defaults().withRunDirectory(out, false))) {
            for (String f : List.of("config.yaml", "metrics.jsonl", "steps.csv", "parameters.npz", "model.onnx", "provenance.json")) {
                assertTrue(Files.isRegularFile(out.resolve(f)), f);
            }
            assertEquals(5 * 15 + 1, Files.readAllLines(out.resolve("steps.csv")).size(), "a header and a row per step");
            try (Model loaded = Model.load(out)) {
                assertArrayEquals(m.predict(x), loaded.predict(x));
                assertEquals(m.history().stream().map(EpochMetrics::loss).toList(),
                        loaded.history().stream().map(EpochMetrics::loss).toList());
            }
        }
    }

    @Test
    void failuresAreTypedAndSayWhatTheCommandSays() {
        ThetaException.Config bad = assertThrows(ThetaException.Config.class,
                () -> softmax().with("optimizer.lr", -1).train(TrainingData.of(x, y)));
        assertTrue(bad.getMessage().contains("optimizer.lr = -1"), bad.getMessage());
        assertEquals(2, bad.exitCode());
        ThetaException.Plugin unknown = assertThrows(ThetaException.Plugin.class,
                () -> softmax().with("loss.name", "no-such-loss").train(TrainingData.of(x, y)));
        assertTrue(unknown.getMessage().contains("no-such-loss"), unknown.getMessage());
        ThetaException.Diverged diverged = assertThrows(ThetaException.Diverged.class,
                () -> softmax().with("optimizer.lr", 1e38).train(TrainingData.of(x, y)));
        assertTrue(diverged.getMessage().contains("training diverged"), diverged.getMessage());
        assertThrows(ThetaException.Data.class, () -> TrainingData.of(x, new int[3]));
        ThetaException.Config yaml = assertThrows(ThetaException.Config.class, () -> Experiment.fromYaml("loss: [unclosed"));
        assertTrue(yaml.getMessage().startsWith("experiment:"), yaml.getMessage());
    }

    private static List<String> list(Path p) throws Exception {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(p)) {
            s.forEach(f -> names.add(f.getFileName().toString()));
        }
        names.sort(null);
        return names;
    }
}
