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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** MLP scores against a double-precision forward pass written out by hand. */
class MlpTest {
    private static final int IN = 5;
    private static final int[] HIDDEN = {4, 3};
    private static final int K = 2;

    private static Graph build(String provider, Map<String, Object> options, int scores) {
        var p = provider.equals("mlp") ? new Mlp() : new LinearBinary();
        Hypothesis h = p.create(p.options().validate(options, "hypothesis", List.of()),
                DataSpec.classification(Shape.of(IN), 2, List.of()), scores);
        Graph g = new Graph();
        Random random = new Random(5);
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, IN));
        g.output("scores", h.scores((name, shape, fanIn, fanOut, init) -> {
            Tensor t = Tensor.zeros(DType.FLOAT32, shape);
            init.fill(t.floats(), shape, fanIn, fanOut, random);
            // Non-zero biases so the test sees them.
            if (name.startsWith("b")) {
                for (int i = 0; i < t.size(); i++) {
                    t.floats()[i] = (float) random.nextGaussian();
                }
            }
            return g.input("param/" + name, Role.PARAMETER, t);
        }, x));
        return g;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"relu", "tanh", "sigmoid", "gelu"})
    void matchesHandWrittenForward(String activation) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("hidden", List.of(HIDDEN[0], HIDDEN[1]));
        options.put("activation", activation);
        Graph g = build("mlp", options, K);
        DoubleUnaryOperator act = switch (activation) {
            case "relu" -> v -> Math.max(v, 0);
            case "tanh" -> Math::tanh;
            case "sigmoid" -> v -> 1 / (1 + Math.exp(-v));
            default -> v -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
        };
        int n = 4;
        float[] x = new float[n * IN];
        Random r = new Random(9);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 2);
        }
        int[] widths = {IN, HIDDEN[0], HIDDEN[1], K};
        double[] expected = new double[n * K];
        for (int row = 0; row < n; row++) {
            double[] h = new double[IN];
            for (int j = 0; j < IN; j++) {
                h[j] = x[row * IN + j];
            }
            for (int layer = 1; layer < widths.length; layer++) {
                float[] w = g.initialValues().get("param/W" + layer).floats();
                float[] b = g.initialValues().get("param/b" + layer).floats();
                double[] next = new double[widths[layer]];
                for (int o = 0; o < next.length; o++) {
                    double s = b[o];
                    for (int i = 0; i < h.length; i++) {
                        s += h[i] * w[i * next.length + o];
                    }
                    next[o] = layer < widths.length - 1 ? act.applyAsDouble(s) : s;
                }
                h = next;
            }
            System.arraycopy(h, 0, expected, row * K, K);
        }
        try (Executable e = GraphHarness.compile(GraphHarness.backend("cpu"), g, n, Map.of("x", Tensor.of(Shape.of(n, IN), x)))) {
            e.run();
            GraphHarness.assertClose(expected, GraphHarness.output(e, "scores"), 1e-5, 1e-5, activation + " scores");
        }
    }

    @Test
    void oneScoreForBinaryLossesAndParametersNamedByLayer() {
        Graph g = build("mlp", Map.of("hidden", List.of(3)), 1);
        assertEquals(Shape.of(Shape.BATCH), g.outputs().get("scores").shape());
        assertEquals(List.of("param/W1", "param/b1", "param/W2", "param/b2"), List.copyOf(g.initialValues().keySet()));
        assertEquals(Shape.of(IN, 3), g.initialValues().get("param/W1").shape());
    }

    @Test
    void linearBinaryRefusesKScores() {
        OptionException e = assertThrows(OptionException.class, () -> build("linear-binary", Map.of(), 2));
        assertEquals(true, e.getMessage().contains("use hypothesis 'linear'"), e.getMessage());
        assertEquals(Shape.of(Shape.BATCH), build("linear-binary", Map.of(), 1).outputs().get("scores").shape());
    }

    @Test
    void badHiddenSizeIsRefusedWithItsPath() {
        OptionException e = assertThrows(OptionException.class,
                () -> new Mlp().options().validate(Map.of("hidden", List.of(256, 0)), "hypothesis", List.of()));
        assertEquals("hypothesis.hidden[1] = 0: must be in [1, inf)", e.getMessage());
    }
}
