package dev.theta.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.ExportRequest;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Exporter;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.testing.GraphHarness;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.backend.onnxruntime.Catalog.Combo;
import dev.theta.backend.onnxruntime.export.OnnxExporter;
import dev.theta.backend.onnxruntime.export.OnnxExporterProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exported models run in ONNX Runtime give theta's own scores within 1e-5, and consistent probabilities and labels. */
class OnnxExporterTest {
    private static final int TEST_BATCH = 13;

    @TempDir
    Path dir;

    @Test
    void providerIsDiscoveredByName() {
        var registry = dev.theta.api.registry.PluginRegistry.discover(getClass().getClassLoader());
        var p = registry.get(dev.theta.api.registry.PluginKind.EXPORTER, dev.theta.api.spi.ExporterProvider.class, "onnx");
        assertEquals("model.onnx", p.create(Catalog.defaults(p)).fileName());
        assertTrue(GraphHarness.backend("onnxruntime") instanceof OnnxRuntimeBackend);
    }

    @TestFactory
    Stream<DynamicTest> exportedModelsMatchTheCpuBackend() {
        return TrainedModels.onePerHypothesis().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private void check(Combo c) throws Exception {
        ExportRequest request = TrainedModels.trained(c);
        Exporter exporter = new OnnxExporterProvider().create(null);
        Path file = dir.resolve(exporter.fileName());
        Files.writeString(file, "stale");
        exporter.export(request, file);

        Tensor x = Tensor.zeros(c.data().featureType(), Catalog.batchShape(c.data(), TEST_BATCH));
        Catalog.fillBatch(c.data(), x, Tensor.zeros(dev.theta.api.tensor.DType.INT64, Shape.of(TEST_BATCH)), 99);
        double[] expected;
        try (Executable cpu = GraphHarness.compile(new CpuBackend(1), request.predict(), TEST_BATCH,
                Map.of(TrainingProgram.FEATURES, x))) {
            cpu.run();
            expected = GraphHarness.output(cpu, TrainingProgram.SCORES);
        }

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.floats()),
                     Arrays.stream(x.shape().dims()).asLongStream().toArray());
             OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, input))) {
            assertEquals("test", session.getMetadata().getCustomMetadata().get("theta.version"));
            float[] scores = floats(r, OnnxExporter.SCORES);
            float[] probabilities = floats(r, OnnxExporter.PROBABILITIES);
            long[] labels = ((OnnxTensor) r.get(OnnxExporter.LABEL).orElseThrow()).getLongBuffer().array();
            double[] actual = new double[scores.length];
            for (int i = 0; i < scores.length; i++) {
                actual[i] = scores[i];
            }
            GraphHarness.assertClose(expected, actual, 1e-5, 1e-5, c + " scores");
            assertEquals(TEST_BATCH, labels.length);
            int k = scores.length / TEST_BATCH;
            for (int n = 0; n < TEST_BATCH; n++) {
                double[] p = new double[k];
                long label;
                if (request.decision() == Decision.ARGMAX) {
                    double max = Double.NEGATIVE_INFINITY;
                    int best = 0;
                    for (int j = 0; j < k; j++) {
                        max = Math.max(max, scores[n * k + j]);
                        best = scores[n * k + j] > scores[n * k + best] ? j : best;
                    }
                    double sum = 0;
                    for (int j = 0; j < k; j++) {
                        sum += Math.exp(scores[n * k + j] - max);
                    }
                    for (int j = 0; j < k; j++) {
                        p[j] = Math.exp(scores[n * k + j] - max) / sum;
                    }
                    label = best;
                } else {
                    p[0] = 1 / (1 + Math.exp(-scores[n]));
                    label = scores[n] > 0 ? 1 : 0;
                }
                double[] got = new double[k];
                for (int j = 0; j < k; j++) {
                    got[j] = probabilities[n * k + j];
                }
                GraphHarness.assertClose(p, got, 1e-5, 1e-6, c + " probabilities of example " + n);
                assertEquals(label, labels[n], c + " label of example " + n);
            }
        }
        assertArrayEquals(new Path[] {file}, Files.list(dir).toArray(), "no temporary file is left behind");
    }

    private static float[] floats(OrtSession.Result r, String name) throws Exception {
        FloatBuffer b = ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void batchDimensionIsDynamic() throws Exception {
        Combo c = TrainedModels.onePerHypothesis().get(0);
        Path file = dir.resolve("m.onnx");
        new OnnxExporter().export(TrainedModels.trained(c), file);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions())) {
            for (int batch : List.of(1, 5)) {
                try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[batch * Catalog.FEATURES]),
                        new long[] {batch, Catalog.FEATURES});
                     OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, input))) {
                    assertEquals(batch, ((OnnxTensor) r.get(OnnxExporter.LABEL).orElseThrow()).getInfo().getShape()[0]);
                }
            }
        }
    }
}
