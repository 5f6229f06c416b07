package dev.theta.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cnn with batchnorm layers from the Java builder: it trains on in-memory images, its model (the CPU backend's
 * prediction graph, with the running statistics) and its exported ONNX model (run by ONNX Runtime) give the same
 * scores, and a bad batchnorm option names the layer.
 */
class BatchNormInCodeTest {
    private static final int N = 400;
    private static final int SIDE = 8;

    @TempDir
    Path dir;

    /** Rows of 8 × 8 images: noise around 3 with a bright 3 × 3 square in one of four quadrants, its class. */
    private static float[][] images(int[] labels) {
        Random r = new Random(5);
        float[][] rows = new float[N][SIDE * SIDE];
        for (int i = 0; i < N; i++) {
            labels[i] = i % 4;
            int top = (labels[i] / 2) * 4 + r.nextInt(2);
            int left = (labels[i] % 2) * 4 + r.nextInt(2);
            for (int p = 0; p < SIDE * SIDE; p++) {
                rows[i][p] = (float) (3 + 0.3 * r.nextGaussian());
            }
            for (int y = top; y < top + 3; y++) {
                for (int x = left; x < left + 3; x++) {
                    rows[i][y * SIDE + x] += 1;
                }
            }
        }
        return rows;
    }

    private static Experiment cnn(List<Object> layers) {
        return Experiment.builder()
                .hypothesis("cnn", Map.of("image", List.of(1, SIDE, SIDE), "layers", layers))
                .loss("cross-entropy")
                .optimizer("adam", Map.of("lr", 0.01))
                .epochs(4).batchSize(32).seed(2)
                .build();
    }

    @Test
    void aCnnWithBatchnormTrainsInCodeAndItsExportGivesTheSameScores() throws Exception {
        int[] labels = new int[N];
        float[][] rows = images(labels);
        List<Object> layers = List.of(Map.of("conv", 4, "kernel", 3, "pad", 1, "bias", false), "batchnorm", "relu",
                Map.of("maxpool", 2), "flatten", Map.of("dense", 16), Map.of("batchnorm", Map.of("momentum", 0.2)), "relu");
        try (Model model = cnn(layers).train(TrainingData.of(rows, labels))) {
            assertTrue(model.metrics("test").accuracy() > 0.9, "test accuracy " + model.metrics("test"));
            Path onnx = dir.resolve("model.onnx");
            model.exportOnnx(onnx);
            try (Model loaded = Model.load(onnx)) {
                float[][] expected = model.predictScores(rows);
                float[][] actual = loaded.predictScores(rows);
                for (int i = 0; i < N; i++) {
                    for (int k = 0; k < expected[i].length; k++) {
                        assertEquals(expected[i][k], actual[i][k], 1e-5 * Math.max(1, Math.abs(expected[i][k])),
                                "image " + i + ", score " + k + ": " + Arrays.toString(actual[i]));
                    }
                }
            }
        }
    }

    @Test
    void aBadBatchnormOptionFromCodeNamesTheLayerIndex() {
        int[] labels = new int[N];
        float[][] rows = images(labels);
        ThetaException.Config e = assertThrows(ThetaException.Config.class, () -> cnn(List.of(Map.of("conv", 4,
                "kernel", 3), Map.of("batchnorm", Map.of("momentum", -0.1)))).train(TrainingData.of(rows, labels)).close());
        assertTrue(e.getMessage().contains("hypothesis.layers[1].batchnorm.momentum = -0.1: must be in [0, 1]"), e.getMessage());
    }
}
