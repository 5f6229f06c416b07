package dev.theta.hypotheses;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.options.OptionException;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.testing.GraphHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cnn hypothesis: scores against a forward pass written out by hand, parameters, and option errors. */
class CnnTest {
    private static final Cnn CNN = new Cnn();

    private static Graph build(Map<String, Object> options, Shape features, int scores) {
        return build(options, features, scores, new ArrayList<>());
    }

    /** As {@link #build(Map, Shape, int)}, recording the hypothesis's dropout calls (identities here). */
    private static Graph build(Map<String, Object> options, Shape features, int scores,
                               List<RecordingParameters.Call> dropouts) {
        Hypothesis h = CNN.create(CNN.options().validate(options, "hypothesis", List.of()),
                DataSpec.classification(features, 3, List.of()), scores);
        Graph g = new Graph();
        Random random = new Random(3);
        int[] dims = new int[features.rank() + 1];
        dims[0] = Shape.BATCH;
        System.arraycopy(features.dims(), 0, dims, 1, features.rank());
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(dims));
        RecordingParameters recording = new RecordingParameters((name, shape, fanIn, fanOut, init) -> {
            Tensor t = Tensor.zeros(DType.FLOAT32, shape);
            init.fill(t.floats(), shape, fanIn, fanOut, random);
            // Non-zero biases so the test sees them.
            if (name.startsWith("b")) {
                for (int i = 0; i < t.size(); i++) {
                    t.floats()[i] = (float) random.nextGaussian();
                }
            }
            return g.input("param/" + name, Role.PARAMETER, t);
        });
        g.output("scores", h.scores(recording, x));
        dropouts.addAll(recording.calls);
        return g;
    }

    private static OptionException refused(Map<String, Object> options, Shape features) {
        return assertThrows(OptionException.class, () -> build(options, features, 3));
    }

    @Test
    void matchesHandWrittenForward() {
        Map<String, Object> options = Map.of("layers", List.of(Map.of("conv", 3, "kernel", 3, "pad", 1, "stride", 2),
                "relu", Map.of("maxpool", 2, "stride", 1), "flatten", Map.of("dense", 4), "tanh"));
        Graph g = build(options, Shape.of(2, 5, 5), 2);
        int n = 3;
        float[] x = new float[n * 2 * 5 * 5];
        Random r = new Random(8);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] k = g.initialValues().get("param/W1").floats();
        float[] kb = g.initialValues().get("param/b1").floats();
        float[] w2 = g.initialValues().get("param/W2").floats();
        float[] b2 = g.initialValues().get("param/b2").floats();
        float[] w3 = g.initialValues().get("param/W3").floats();
        float[] b3 = g.initialValues().get("param/b3").floats();
        double[] expected = new double[n * 2];
        for (int e = 0; e < n; e++) {
            double[][][] conv = new double[3][3][3];
            for (int o = 0; o < 3; o++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        double s = kb[o];
                        for (int c = 0; c < 2; c++) {
                            for (int a = 0; a < 3; a++) {
                                for (int b = 0; b < 3; b++) {
                                    int h = 2 * i + a - 1;
                                    int v = 2 * j + b - 1;
                                    if (h >= 0 && h < 5 && v >= 0 && v < 5) {
                                        s += x[((e * 2 + c) * 5 + h) * 5 + v] * k[((o * 2 + c) * 3 + a) * 3 + b];
                                    }
                                }
                            }
                        }
                        conv[o][i][j] = Math.max(0, s);
                    }
                }
            }
            double[] flat = new double[12];
            for (int o = 0; o < 3; o++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 2; j++) {
                        flat[(o * 2 + i) * 2 + j] = Math.max(Math.max(conv[o][i][j], conv[o][i][j + 1]),
                                Math.max(conv[o][i + 1][j], conv[o][i + 1][j + 1]));
                    }
                }
            }
            double[] hidden = new double[4];
            for (int u = 0; u < 4; u++) {
                double s = b2[u];
                for (int f = 0; f < 12; f++) {
                    s += flat[f] * w2[f * 4 + u];
                }
                hidden[u] = Math.tanh(s);
            }
            for (int q = 0; q < 2; q++) {
                double s = b3[q];
                for (int u = 0; u < 4; u++) {
                    s += hidden[u] * w3[u * 2 + q];
                }
                expected[e * 2 + q] = s;
            }
        }
        try (Executable exe = GraphHarness.compile(GraphHarness.backend("cpu"), g, n,
                Map.of("x", Tensor.of(Shape.of(n, 2, 5, 5), x)))) {
            exe.run();
            GraphHarness.assertClose(expected, GraphHarness.output(exe, "scores"), 1e-5, 1e-5, "scores");
        }
    }

    @Test
    void defaultLayersOnFlatPixelsWithHeWeights() {
        Graph g = build(Map.of("image", List.of(1, 28, 28)), Shape.of(784), 10);
        assertEquals(Shape.of(Shape.BATCH, 10), g.outputs().get("scores").shape());
        assertEquals(List.of("param/W1", "param/b1", "param/W2", "param/b2", "param/W3", "param/b3", "param/W4",
                "param/b4"), List.copyOf(g.initialValues().keySet()));
        assertEquals(Shape.of(16, 1, 3, 3), g.initialValues().get("param/W1").shape());
        assertEquals(Shape.of(32, 1, 1), g.initialValues().get("param/b2").shape());
        assertEquals(Shape.of(32 * 7 * 7, 128), g.initialValues().get("param/W3").shape());
        float[] w2 = g.initialValues().get("param/W2").floats();
        double sq = 0;
        for (float v : w2) {
            sq += v * v;
        }
        double std = Math.sqrt(sq / w2.length);
        assertEquals(Math.sqrt(2.0 / (16 * 9)), std, 0.01, "He normal: std sqrt(2 / fan_in)");
        for (float b : g.initialValues().get("param/b2").floats()) {
            assertTrue(b != 0, "the test's parameters fill biases");
        }
    }

    @Test
    void poolingVariantsAndOneScore() {
        Map<String, Object> options = Map.of("layers", List.of(Map.of("conv", 4, "kernel", 3, "group", 2, "dilation", 2),
                "gelu", Map.of("avgpool", 2, "pad", 1), "globalavgpool"));
        Graph g = build(options, Shape.of(2, 9, 8), 1);
        assertEquals(Shape.of(Shape.BATCH), g.outputs().get("scores").shape());
        assertEquals(Shape.of(4, 1, 3, 3), g.initialValues().get("param/W1").shape());
        assertEquals(Shape.of(4, 1), g.initialValues().get("param/W2").shape());
        assertEquals(Shape.of(Shape.BATCH, 1, 6, 6), build(Map.of("layers", List.of()), Shape.of(6, 6), 3)
                .nodes().stream().filter(v -> v.shape().rank() == 4).findFirst().orElseThrow().shape());
    }

    @Test
    void layerErrorsNameTheLayer() {
        Shape image = Shape.of(1, 8, 8);
        OptionException typo = refused(Map.of("layers", List.of(Map.of("conv", 4), "rleu")), image);
        assertEquals("hypothesis.layers[1]", typo.path());
        assertTrue(typo.getMessage().contains("'rleu'") && typo.getMessage().contains("relu"), typo.getMessage());
        assertEquals("hypothesis.layers[0].conv", refused(Map.of("layers", List.of(Map.of("conv", 0))), image).path());
        OptionException key = refused(Map.of("layers", List.of(Map.of("conv", 4, "kernal", 3))), image);
        assertEquals("hypothesis.layers[0].kernal", key.path());
        assertTrue(key.getMessage().contains("kernel"), key.getMessage());
        OptionException dense = refused(Map.of("layers", List.of(Map.of("conv", 4), Map.of("dense", 8))), image);
        assertEquals("hypothesis.layers[1]", dense.path());
        assertTrue(dense.getMessage().contains("flatten"), dense.getMessage());
        OptionException big = refused(Map.of("layers", List.of(Map.of("maxpool", 4), Map.of("maxpool", 3))), image);
        assertEquals("hypothesis.layers[1]", big.path());
        assertTrue(big.getMessage().contains("[1, 2, 2]"), big.getMessage());
        assertEquals("hypothesis.layers[0].pad",
                refused(Map.of("layers", List.of(Map.of("maxpool", 2, "pad", 2))), image).path());
        assertEquals("hypothesis.layers[0]",
                refused(Map.of("layers", List.of(Map.of("conv", 4, "dense", 2))), image).path());
        assertEquals("hypothesis.layers[0]", refused(Map.of("layers", List.of(Map.of("conv", 3, "group", 2))),
                Shape.of(2, 8, 8)).path());
    }

    @Test
    void dropoutLayersAskForDropoutWhereTheyStandAndHaveNoParameters() {
        List<RecordingParameters.Call> calls = new ArrayList<>();
        Map<String, Object> options = Map.of("layers", List.of(Map.of("conv", 2, "kernel", 3), Map.of("dropout", 0.25),
                "relu", "flatten", Map.of("dense", 4), Map.of("dropout", 0.5)));
        Graph g = build(options, Shape.of(1, 5, 5), 3, calls);
        assertEquals(List.of(Shape.of(Shape.BATCH, 2, 3, 3), Shape.of(Shape.BATCH, 4)),
                calls.stream().map(c -> c.x().shape()).toList());
        assertEquals(List.of(0.25, 0.5), calls.stream().map(RecordingParameters.Call::p).toList());
        assertEquals(List.of("param/W1", "param/b1", "param/W2", "param/b2", "param/W3", "param/b3"),
                List.copyOf(g.initialValues().keySet()));
        Map<String, Object> plain = Map.of("layers", List.of(Map.of("conv", 2, "kernel", 3), "relu", "flatten",
                Map.of("dense", 4)));
        assertEquals(build(plain, Shape.of(1, 5, 5), 3).toString(), g.toString(), "outside training, the identity");

        Shape image = Shape.of(1, 8, 8);
        OptionException one = refused(Map.of("layers", List.of(Map.of("dropout", 1))), image);
        assertEquals("hypothesis.layers[0].dropout = 1: must be a probability in [0, 1)", one.getMessage());
        assertEquals("hypothesis.layers[0].dropout",
                refused(Map.of("layers", List.of(Map.of("dropout", "half"))), image).path());
        assertEquals("hypothesis.layers[0].bias",
                refused(Map.of("layers", List.of(Map.of("dropout", 0.5, "bias", true))), image).path());
    }

    @Test
    void flatFeaturesNeedTheImageShape() {
        OptionException missing = refused(Map.of(), Shape.of(784));
        assertEquals("hypothesis.image", missing.path());
        assertTrue(missing.getMessage().contains("[1, 28, 28]"), missing.getMessage());
        OptionException wrong = refused(Map.of("image", List.of(1, 28, 27)), Shape.of(784));
        assertEquals("hypothesis.image", wrong.path());
        assertTrue(wrong.getMessage().contains("784"), wrong.getMessage());
    }

    @Test
    void registeredAsCnn() {
        assertTrue(ServiceLoader.load(dev.theta.api.spi.HypothesisProvider.class).stream()
                .anyMatch(p -> p.type() == Cnn.class));
        assertEquals("cnn", CNN.name());
    }
}
