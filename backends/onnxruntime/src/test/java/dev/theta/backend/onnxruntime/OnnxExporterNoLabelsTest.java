package dev.theta.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.ExportRequest;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.onnxruntime.export.OnnxExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** With {@link Decision#NONE} the exported model has the graph's own outputs, and no probabilities or labels. */
class OnnxExporterNoLabelsTest {
    @TempDir
    Path dir;

    /** x [N, 2] → similarity-like scores x·xᵀ [N, N] and an embedding x·W [N, 2]. */
    private static Graph graph(String embeddingName) {
        Graph g = new Graph();
        Value x = g.input(TrainingProgram.FEATURES, Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 2));
        Value w = g.input(TrainingProgram.parameter("W"), Role.PARAMETER, Tensor.of(Shape.of(2, 2), new float[] {1, 2, 3, 4}));
        g.output(TrainingProgram.SCORES, x.matmul(x.transpose(1, 0)));
        g.output(embeddingName, x.matmul(w));
        return g;
    }

    @Test
    void exportsTheGraphsOutputsUnderTheirOwnNames() throws Exception {
        Path file = dir.resolve("m.onnx");
        new OnnxExporter().export(new ExportRequest(graph("embedding"), Decision.NONE, Map.of()), file);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1, 0, 0, 1, 1, 1}), new long[] {3, 2});
             OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, input))) {
            assertEquals(Set.of(OnnxExporter.SCORES, "embedding"), session.getOutputNames());
            OnnxTensor scores = (OnnxTensor) r.get(OnnxExporter.SCORES).orElseThrow();
            assertArrayEquals(new long[] {3, 3}, scores.getInfo().getShape());
            assertArrayEquals(new float[] {1, 0, 1, 0, 1, 1, 1, 1, 2}, scores.getFloatBuffer().array());
            assertArrayEquals(new float[] {1, 2, 3, 4, 4, 6}, ((OnnxTensor) r.get("embedding").orElseThrow()).getFloatBuffer().array());
        }
    }

    @Test
    void labelDecisionsStillNeedScores() {
        Graph g = new Graph();
        Value x = g.input(TrainingProgram.FEATURES, Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 2));
        g.output("embedding", x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExporter.model(new ExportRequest(g, Decision.ARGMAX, Map.of())));
        assertEquals("the prediction graph needs input 'x' and output 'scores'; it has [x] and [embedding]", e.getMessage());
    }
}
