package dev.theta.backend.onnxruntime;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.ExportRequest;
import dev.theta.api.spi.SequenceHypothesis;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.backend.onnxruntime.export.OnnxExporter;
import dev.theta.hypotheses.Transformer;
import dev.theta.losses.CrossEntropy;
import dev.theta.optimizers.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A transformer exported with a symbolic sequence length: input [N, T], 1 ≤ T ≤ block size. ONNX Runtime on the
 * exported model gives, for every T, the distributions theta's CPU backend gives on the prediction graph built for
 * that T; a position's scores do not depend on later tokens; ONNX's full check passes; a hypothesis whose graph is not
 * the same nodes at every length is refused with what differs.
 */
class SequenceLengthExportTest {
    private static final int VOCABULARY = 7;
    private static final int BATCH = 3;

    @TempDir
    Path dir;

    /** A transformer trained on windows of {@code window} tokens, parameters drawn at random (gains and biases too). */
    private record Model(SequenceHypothesis hypothesis, DataSpec data, Map<String, Tensor> parameters) {
        static Model of(int window, Map<String, Object> options) {
            DataSpec data = spec(window);
            Transformer provider = new Transformer();
            Options validated = provider.options().validate(options, "hypothesis", List.of());
            SequenceHypothesis h = (SequenceHypothesis) provider.create(validated, data, VOCABULARY);
            CrossEntropy loss = new CrossEntropy();
            Sgd sgd = new Sgd();
            TrainingProgram program = TrainingProgram.build(data, h, loss.create(Catalog.defaults(loss), data),
                    sgd.create(Catalog.defaults(sgd)), 5);
            Random random = new Random(17);
            Map<String, Tensor> parameters = new LinkedHashMap<>();
            program.initialParameters().forEach((name, t) -> {
                float[] values = t.floats().clone();
                for (int i = 0; i < values.length; i++) {
                    values[i] += (float) (0.3 * random.nextGaussian());
                }
                parameters.put(name, Tensor.of(t.shape(), values));
            });
            return new Model(h, data, parameters);
        }

        Graph predictAt(int t) {
            return TrainingProgram.predictGraph(spec(t), hypothesis.atLength(t), parameters);
        }

        ModelProto export() {
            ExportRequest.Lengths lengths = new ExportRequest.Lengths(hypothesis.maxLength(), this::predictAt);
            return OnnxExporter.model(new ExportRequest(TrainingProgram.predictGraph(data, hypothesis, parameters),
                    Decision.NONE, Map.of("theta.version", "test"), lengths));
        }
    }

    private static DataSpec spec(int t) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < VOCABULARY; i++) {
            names.add("c" + i);
        }
        return new DataSpec(Shape.of(t), DType.INT64, VOCABULARY, names, Shape.of(t));
    }

    private static final Map<String, Object> UNTIED = Map.of("layers", 2, "heads", 2, "embedding", 8,
            "block-size", 12, "tie-weights", false, "activation", "gelu-tanh");
    private static final Map<String, Object> TIED = Map.of("layers", 1, "heads", 4, "embedding", 8, "bias", false);

    @Test
    void onnxRuntimeGivesThetasDistributionsAtEveryLengthUpToTheBlock() throws Exception {
        // Block 12 over training windows of 8: the exported model still reads up to the position table's 12 rows.
        check(Model.of(8, UNTIED), 12, new int[] {1, 2, 7, 12});
        // block-size 0: the training window is the block.
        check(Model.of(9, TIED), 9, new int[] {1, 2, 5, 9});
    }

    private void check(Model model, int block, int[] lengths) throws Exception {
        ModelProto proto = model.export();
        assertInputAndOutputShapes(proto);
        assertEquals(Integer.toString(block), metadata(proto).get(ExportRequest.MAX_LENGTH));
        assertEquals("test", metadata(proto).get("theta.version"));
        Random random = new Random(block);
        try (OrtSession session = session(proto)) {
            for (int t : lengths) {
                long[] tokens = tokens(random, BATCH * t);
                float[] onnx = run(session, tokens, t);
                float[] theta = cpu(model.predictAt(t), tokens, t);
                assertEquals(BATCH * t * VOCABULARY, onnx.length, "scores [N, T, V] at T = " + t);
                assertSameDistributions(theta, onnx, BATCH * t, "T = " + t);
            }
            // Position t's scores do not depend on tokens after t: change them, and compare with the prefix alone.
            long[] full = tokens(random, block);
            float[] scores = run(session, full, 1, block);
            for (int t : lengths) {
                long[] changed = full.clone();
                for (int i = t; i < block; i++) {
                    changed[i] = (changed[i] + 1 + i) % VOCABULARY;
                }
                float[] other = run(session, changed, 1, block);
                float[] prefix = run(session, java.util.Arrays.copyOf(full, t), 1, t);
                for (int i = 0; i < t * VOCABULARY; i++) {
                    assertEquals(scores[i], other[i], 1e-5, "T = " + t + ": later tokens changed score " + i);
                    assertEquals(scores[i], prefix[i], 1e-5, "the prefix of " + t + " tokens alone, score " + i);
                }
            }
        }
        assertPassesTheFullCheck(proto);
    }

    private static void assertInputAndOutputShapes(ModelProto proto) {
        assertEquals(1, proto.getGraph().getInputCount(), "the parameters are initializers");
        assertDims(proto.getGraph().getInput(0), OnnxExporter.INPUT, "N", "T");
        assertDims(proto.getGraph().getOutput(0), OnnxExporter.SCORES, "N", "T", Integer.toString(VOCABULARY));
    }

    private static void assertDims(ValueInfoProto value, String name, String... dims) {
        assertEquals(name, value.getName());
        List<String> actual = new ArrayList<>();
        for (TensorShapeProto.Dimension d : value.getType().getTensorType().getShape().getDimList()) {
            actual.add(d.hasDimParam() ? d.getDimParam() : Long.toString(d.getDimValue()));
        }
        assertEquals(List.of(dims), actual);
    }

    @Test
    void aLengthPastTheBlockIsRefusedByOnnxRuntimeNotMisread() throws Exception {
        Model model = Model.of(8, UNTIED);
        try (OrtSession session = session(model.export())) {
            // Slicing the 12 position rows to 13 would silently give 12: the embeddings' Add must fail instead.
            OrtException e = assertThrows(OrtException.class, () -> run(session, new long[13], 1, 13));
            assertTrue(e.getMessage().contains("Add") || e.getMessage().contains("broadcast"), e.getMessage());
        }
    }

    @Test
    void aGraphWithOtherNodesAtAnotherLengthIsRefused() {
        IntFunction<Graph> graphs = t -> {
            Graph g = new Graph();
            Value x = g.input(TrainingProgram.FEATURES, Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, t));
            g.output(TrainingProgram.SCORES, t % 2 == 0 ? x.exp() : x);
            return g;
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.model(
                new ExportRequest(graphs.apply(4), Decision.NONE, Map.of(), new ExportRequest.Lengths(4, graphs))));
        assertTrue(e.getMessage().startsWith("the sequence model's graph at length 3 differs from its graph at length 4 in"),
                e.getMessage());
    }

    @Test
    void aConstantThatIsNotALeadingBlockOfTheLongestIsRefused() {
        IntFunction<Graph> graphs = t -> {
            Graph g = new Graph();
            Value x = g.input(TrainingProgram.FEATURES, Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, t));
            float[] scale = new float[t];
            java.util.Arrays.fill(scale, 1f / t);
            g.output(TrainingProgram.SCORES, x.mul(g.constant(Tensor.of(Shape.of(t), scale))));
            return g;
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.model(
                new ExportRequest(graphs.apply(5), Decision.NONE, Map.of(), new ExportRequest.Lengths(5, graphs))));
        assertTrue(e.getMessage().contains("is not, at length 4, the leading block of its value at length 5"), e.getMessage());
    }

    @Test
    void aModelWithoutLengthsKeepsItsFixedInput() {
        Model model = Model.of(8, UNTIED);
        ModelProto fixed = OnnxExporter.model(new ExportRequest(model.predictAt(8), Decision.NONE, Map.of()));
        assertDims(fixed.getGraph().getInput(0), OnnxExporter.INPUT, "N", "8");
        assertTrue(metadata(fixed).get(ExportRequest.MAX_LENGTH) == null);
    }

    private static void assertSameDistributions(float[] expected, float[] actual, int rows, String what) {
        for (int row = 0; row < rows; row++) {
            double[] p = softmax(expected, row * VOCABULARY);
            double[] q = softmax(actual, row * VOCABULARY);
            for (int i = 0; i < VOCABULARY; i++) {
                assertEquals(p[i], q[i], 1e-5, what + ": p(token " + i + ") at row " + row);
            }
        }
    }

    private static double[] softmax(float[] scores, int from) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < VOCABULARY; i++) {
            max = Math.max(max, scores[from + i]);
        }
        double[] p = new double[VOCABULARY];
        double total = 0;
        for (int i = 0; i < VOCABULARY; i++) {
            p[i] = Math.exp(scores[from + i] - max);
            total += p[i];
        }
        for (int i = 0; i < VOCABULARY; i++) {
            p[i] /= total;
        }
        return p;
    }

    private static long[] tokens(Random random, int count) {
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = random.nextInt(VOCABULARY);
        }
        return ids;
    }

    private static float[] cpu(Graph predict, long[] tokens, int t) {
        try (Executable exe = new CpuBackend(1).compile(predict, BATCH)) {
            System.arraycopy(tokens, 0, exe.input(TrainingProgram.FEATURES).longs(), 0, BATCH * t);
            exe.run();
            return exe.output(TrainingProgram.SCORES).floats().clone();
        }
    }

    private static OrtSession session(ModelProto proto) throws OrtException {
        return OrtEnvironment.getEnvironment().createSession(proto.toByteArray(), new OrtSession.SessionOptions());
    }

    private static float[] run(OrtSession session, long[] tokens, int t) throws OrtException {
        return run(session, tokens, BATCH, t);
    }

    private static float[] run(OrtSession session, long[] tokens, int n, int t) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor input = OnnxTensor.createTensor(env, LongBuffer.wrap(tokens), new long[] {n, t});
             OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, input))) {
            OnnxTensor scores = (OnnxTensor) r.get(OnnxExporter.SCORES).orElseThrow();
            assertArrayEquals(new long[] {n, t, VOCABULARY}, scores.getInfo().getShape());
            float[] out = new float[n * t * VOCABULARY];
            scores.getFloatBuffer().get(out);
            return out;
        }
    }

    private static Map<String, String> metadata(ModelProto proto) {
        Map<String, String> m = new LinkedHashMap<>();
        for (StringStringEntryProto e : proto.getMetadataPropsList()) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private void assertPassesTheFullCheck(ModelProto proto) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "model", ".onnx");
        Files.write(file, proto.toByteArray());
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import onnx, sys; m = onnx.load(sys.argv[1]);"
                + " onnx.checker.check_model(m, full_check=True);"
                + " i = m.graph.input[0].type.tensor_type.shape.dim; print(i[0].dim_param, i[1].dim_param)", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals("N T", out.strip(), "the checked model's input is [N, T]");
    }
}
