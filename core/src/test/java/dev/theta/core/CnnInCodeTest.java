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

/** The cnn hypothesis from the Java builder, on in-memory (channels, height, width) images. */
class CnnInCodeTest {
    private static final int N = 400;
    private static final int SIDE = 8;

    /** Images [N, 1, 8, 8] of noise with a bright 3 × 3 square in one of four quadrants, the quadrant its class. */
    private static float[][] images(int[] labels) {
        Random r = new Random(5);
        float[][] rows = new float[N][SIDE * SIDE];
        for (int i = 0; i < N; i++) {
            labels[i] = i % 4;
            int top = (labels[i] / 2) * 4 + r.nextInt(2);
            int left = (labels[i] % 2) * 4 + r.nextInt(2);
            for (int p = 0; p < SIDE * SIDE; p++) {
                rows[i][p] = (float) (0.3 * r.nextGaussian());
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
                .hypothesis("cnn", Map.of("layers", layers))
                .loss("cross-entropy")
                .optimizer("adam", Map.of("lr", 0.01))
                .epochs(4).batchSize(32).seed(2)
                .build();
    }

    @Test
    void aCnnTrainsOnImageTensorsInMemoryAndItsExportPredictsTheSame() throws Exception {
        int[] labels = new int[N];
        float[][] rows = images(labels);
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
        float[][] rows = images(labels);
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
}
