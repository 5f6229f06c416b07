package dev.theta.hypotheses;

import dev.theta.api.autodiff.Autodiff;
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

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ngram-mlp against a double-precision forward pass written by hand, and its gradient reaching the embeddings. */
class NgramMlpTest {
    private static final int V = 7;
    private static final int CONTEXT = 3;
    private static final int D = 2;
    private static final int HIDDEN = 5;
    private static final int N = 4;
    /** Token 6 never occurs in the batch: its embedding row must get no gradient. */
    private static final long[] IDS = {0, 1, 2, 2, 3, 0, 5, 4, 1, 3, 3, 3};

    private static DataSpec textSpec() {
        List<String> vocabulary = List.of("a", "b", "c", "d", "e", "f", "g");
        return new DataSpec(Shape.of(CONTEXT), DType.INT64, V, vocabulary, Shape.SCALAR);
    }

    /** Scores and, for loss = Σ scores ⊙ r (a data input), the gradient with respect to the embedding table E. */
    private static Graph build() {
        NgramMlp provider = new NgramMlp();
        Hypothesis h = provider.create(provider.options().validate(
                Map.of("embedding", D, "hidden", List.of(HIDDEN), "activation", "tanh"), "hypothesis", List.of()), textSpec(), V);
        Graph g = new Graph();
        Random random = new Random(3);
        Value x = g.input("x", Role.DATA, DType.INT64, Shape.of(Shape.BATCH, CONTEXT));
        Value[] table = new Value[1];
        Value scores = h.scores((name, shape, fanIn, fanOut, init) -> {
            Tensor t = Tensor.zeros(DType.FLOAT32, shape);
            init.fill(t.floats(), shape, fanIn, fanOut, random);
            if (name.startsWith("b")) {
                for (int i = 0; i < t.size(); i++) {
                    t.floats()[i] = (float) random.nextGaussian() * 0.5f;
                }
            }
            Value v = g.input("param/" + name, Role.PARAMETER, t);
            if (name.equals("E")) {
                table[0] = v;
            }
            return v;
        }, x);
        g.output("scores", scores);
        Value loss = scores.mul(g.input("r", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, V))).sum();
        g.output("dE", Autodiff.gradients(loss, List.of(table[0])).get(table[0]));
        return g;
    }

    /** The same model in doubles: tanh(concat(E[ids]) W1 + b1) W2 + b2, with E perturbed by {@code dE} at one entry. */
    private static double[] reference(Map<String, Tensor> p, int perturbed, double delta) {
        float[] e = p.get("param/E").floats();
        float[] w1 = p.get("param/W1").floats();
        float[] b1 = p.get("param/b1").floats();
        float[] w2 = p.get("param/W2").floats();
        float[] b2 = p.get("param/b2").floats();
        double[] out = new double[N * V];
        for (int row = 0; row < N; row++) {
            double[] in = new double[CONTEXT * D];
            for (int j = 0; j < CONTEXT; j++) {
                for (int d = 0; d < D; d++) {
                    int at = (int) IDS[row * CONTEXT + j] * D + d;
                    in[j * D + d] = e[at] + (at == perturbed ? delta : 0);
                }
            }
            double[] hidden = new double[HIDDEN];
            for (int o = 0; o < HIDDEN; o++) {
                double s = b1[o];
                for (int i = 0; i < in.length; i++) {
                    s += in[i] * w1[i * HIDDEN + o];
                }
                hidden[o] = Math.tanh(s);
            }
            for (int o = 0; o < V; o++) {
                double s = b2[o];
                for (int i = 0; i < HIDDEN; i++) {
                    s += hidden[i] * w2[i * V + o];
                }
                out[row * V + o] = s;
            }
        }
        return out;
    }

    @Test
    void scoresMatchHandWrittenForwardAndGradientReachesTheUsedEmbeddings() {
        float[] r = new float[N * V];
        Random random = new Random(11);
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) random.nextGaussian();
        }
        Graph g = build();
        Map<String, Tensor> params = g.initialValues();
        assertEquals(List.of("param/E", "param/W1", "param/b1", "param/W2", "param/b2"), List.copyOf(params.keySet()));
        assertEquals(Shape.of(V, D), params.get("param/E").shape());
        assertEquals(Shape.of(CONTEXT * D, HIDDEN), params.get("param/W1").shape());
        try (Executable e = GraphHarness.compile(GraphHarness.backend("cpu"), g, N,
                Map.of("x", Tensor.of(Shape.of(N, CONTEXT), IDS), "r", Tensor.of(Shape.of(N, V), r)))) {
            e.run();
            GraphHarness.assertClose(reference(params, -1, 0), GraphHarness.output(e, "scores"), 1e-5, 1e-5, "scores");

            double[] gradient = GraphHarness.output(e, "dE");
            double[] expected = new double[V * D];
            double h = 1e-4;
            for (int i = 0; i < expected.length; i++) {
                double[] plus = reference(params, i, h);
                double[] minus = reference(params, i, -h);
                for (int j = 0; j < plus.length; j++) {
                    expected[i] += r[j] * (plus[j] - minus[j]) / (2 * h);
                }
            }
            GraphHarness.assertClose(expected, gradient, 1e-3, 1e-4, "dL/dE");
            for (int d = 0; d < D; d++) {
                assertEquals(0.0, gradient[6 * D + d], "token 6 is not in the batch");
                assertTrue(Math.abs(gradient[3 * D + d]) > 1e-3, "token 3 is used four times");
            }
        }
    }

    @Test
    void isFoundByServiceLoader() {
        assertTrue(java.util.ServiceLoader.load(dev.theta.api.spi.HypothesisProvider.class).stream()
                .anyMatch(p -> p.type() == NgramMlp.class));
    }

    @Test
    void refusesFloatFeatures() {
        NgramMlp provider = new NgramMlp();
        OptionException e = assertThrows(OptionException.class, () -> provider.create(
                provider.options().validate(Map.of(), "hypothesis", List.of()),
                DataSpec.classification(Shape.of(4), 3, List.of("x", "y", "z")), 3));
        assertTrue(e.getMessage().contains("dataset 'text'"), e.getMessage());
    }

    @Test
    void badOptionsNameTheirPath() {
        NgramMlp provider = new NgramMlp();
        OptionException e = assertThrows(OptionException.class,
                () -> provider.options().validate(Map.of("embedding", 0), "hypothesis", List.of()));
        assertEquals("hypothesis.embedding = 0: must be in [1, inf)", e.getMessage());
    }
}
