package dev.theta.core;

import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cnn hypothesis from the Java builder, on in-memory (channels, height, width) images: it trains, its export
 * predicts the same (with batch normalization, the running statistics' scores), and bad layers name their index.
 */
class CnnInCodeTest {
    private static final int N = 400;
    private static final int SIDE = 8;

    /**
     * Rows of 8 × 8 images: noise around {@code level} with a bright 3 × 3 square in one of four quadrants, the
     * quadrant its class.
     */
    private static float[][] images(int[] labels, double level) {
        Random r = new Random(5);
        float[][] rows = new float[N][SIDE * SIDE];
        for (int i = 0; i < N; i++) {
            labels[i] = i % 4;
            int top = (labels[i] / 2) * 4 + r.nextInt(2);
            int left = (labels[i] % 2) * 4 + r.nextInt(2);
            for (int p = 0; p < SIDE * SIDE; p++) {
                rows[i][p] = (float) (level + 0.3 * r.nextGaussian());
            }
            for (int y = top; y < top + 3; y++) {
                for (int x = left; x < left + 3; x++) {
                    rows[i][y * SIDE + x] += 1;
                }
            }
        }
        return rows;
    }

    /** A cnn of {@code layers} on image tensors [N, 1, 8, 8]. */
    private static Experiment cnn(List<Object> layers) {
        return cnn(Map.of("layers", layers));
    }

    /** A cnn of {@code layers} on flat rows of 64 features, read as 1 × 8 × 8 images (option {@code image}). */
    private static Experiment cnnOnRows(List<Object> layers) {
        return cnn(Map.of("image", List.of(1, SIDE, SIDE), "layers", layers));
    }

    private static Experiment cnn(Map<String, Object> options) {
        return Experiment.builder()
                .hypothesis("cnn", options)
                .loss("cross-entropy")
                .optimizer("adam", Map.of("lr", 0.01))
                .epochs(4).batchSize(32).seed(2)
                .build();
    }

    @Test
    void aCnnTrainsOnImageTensorsInMemoryAndItsExportPredictsTheSame() throws Exception {
        int[] labels = new int[N];
        float[][] rows = images(labels, 0);
        float[] flat = new float[N * SIDE * SIDE];
        long[] targets = new long[N];
        for (int i = 0; i < N; i++) {
            System.arraycopy(rows[i], 0, flat, i * SIDE * SIDE, SIDE * SIDE);
            targets[i] = labels[i];
        }
        TrainingData data = TrainingData.of(Tensor.of(Shape.of(N, 1, SIDE, SIDE), flat), Tensor.of(Shape.of(N), targets));
        List<Object> layers = List.of(Map.of("conv", 4, "kernel", 3, "pad", 1), "relu", Map.of("maxpool", 2), "flatten",
                Map.of("dense", 16), "relu");
        try (Model model = cnn(layers).train(data)) {
            assertTrue(model.metrics("test").accuracy() > 0.9, "test accuracy " + model.metrics("test"));
            java.nio.file.Path onnx = java.nio.file.Files.createTempDirectory("cnn").resolve("model.onnx");
            model.exportOnnx(onnx);
            try (Model loaded = Model.load(onnx)) {
                assertEquals(java.util.Arrays.toString(model.predict(rows)), java.util.Arrays.toString(loaded.predict(rows)),
                        "ONNX Runtime on the exported model predicts the same for every image");
            }
        }
    }

    @Test
    void aLayerErrorFromCodeNamesTheLayerIndex() {
        int[] labels = new int[N];
        float[][] rows = images(labels, 0);
        float[] flat = new float[N * SIDE * SIDE];
        for (int i = 0; i < N; i++) {
            System.arraycopy(rows[i], 0, flat, i * SIDE * SIDE, SIDE * SIDE);
        }
        long[] targets = java.util.Arrays.stream(labels).asLongStream().toArray();
        TrainingData data = TrainingData.of(Tensor.of(Shape.of(N, 1, SIDE, SIDE), flat), Tensor.of(Shape.of(N), targets));
        ThetaException.Config e = assertThrows(ThetaException.Config.class,
                () -> cnn(List.of(Map.of("conv", 4, "kernel", 3), "rleu")).train(data).close());
        assertTrue(e.getMessage().contains("hypothesis.layers[1] = 'rleu': expected one of relu,"), e.getMessage());
        assertEquals(2, e.exitCode());
    }

    @Test
    void aCnnWithBatchnormTrainsInCodeAndItsExportGivesTheSameScores() throws Exception {
        int[] labels = new int[N];
        // Around 3: batch normalization has an offset to remove.
        float[][] rows = images(labels, 3);
        List<Object> layers = List.of(Map.of("conv", 4, "kernel", 3, "pad", 1, "bias", false), "batchnorm", "relu",
                Map.of("maxpool", 2), "flatten", Map.of("dense", 16), Map.of("batchnorm", Map.of("momentum", 0.2)), "relu");
        try (Model model = cnnOnRows(layers).train(TrainingData.of(rows, labels))) {
            assertTrue(model.metrics("test").accuracy() > 0.9, "test accuracy " + model.metrics("test"));
            java.nio.file.Path onnx = java.nio.file.Files.createTempDirectory("cnn-bn").resolve("model.onnx");
            model.exportOnnx(onnx);
            try (Model loaded = Model.load(onnx)) {
                float[][] expected = model.predictScores(rows);
                float[][] actual = loaded.predictScores(rows);
                for (int i = 0; i < N; i++) {
                    for (int k = 0; k < expected[i].length; k++) {
                        assertEquals(expected[i][k], actual[i][k], 1e-5 * Math.max(1, Math.abs(expected[i][k])),
                                "image " + i + ", score " + k + ": " + java.util.Arrays.toString(actual[i]));
                    }
                }
            }
        }
    }

    @Test
    void aBadBatchnormOptionFromCodeNamesTheLayerIndex() {
        int[] labels = new int[N];
        float[][] rows = images(labels, 3);
        ThetaException.Config e = assertThrows(ThetaException.Config.class, () -> cnnOnRows(List.of(Map.of("conv", 4,
                "kernel", 3), Map.of("batchnorm", Map.of("momentum", -0.1)))).train(TrainingData.of(rows, labels)).close());
        assertTrue(e.getMessage().contains("hypothesis.layers[1].batchnorm.momentum = -0.1: must be in [0, 1]"), e.getMessage());
    }
}
