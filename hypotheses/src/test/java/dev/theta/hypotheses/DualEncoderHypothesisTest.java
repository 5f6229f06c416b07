package dev.theta.hypotheses;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.options.OptionException;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.DualEncoder;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.testing.GraphHarness;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dual-encoder's similarity scores against a double-precision forward pass written out by hand. */
class DualEncoderHypothesisTest {
    private static final int IMAGE = 5;
    private static final int TOKENS = 4;
    private static final int VOCABULARY = 7;
    private static final int HIDDEN = 3;
    private static final int WORD = 3;
    private static final int DIM = 2;
    private static final DataSpec SPEC = DataSpec.classification(Shape.of(IMAGE + TOKENS), 10, List.of());

    private static DualEncoder create(Map<String, Object> extra, int scores) {
        DualEncoderHypothesis p = new DualEncoderHypothesis();
        Map<String, Object> options = new LinkedHashMap<>(Map.of("image-size", IMAGE, "vocabulary-size", VOCABULARY,
                "image-hidden", List.of(HIDDEN), "word-embedding", WORD, "embedding", DIM, "temperature", 0.5));
        options.putAll(extra);
        return (DualEncoder) p.create(p.options().validate(options, "hypothesis", List.of()), SPEC, scores);
    }

    private static Graph build(DualEncoder h) {
        Graph g = new Graph();
        Random random = new Random(5);
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, IMAGE + TOKENS));
        g.output("scores", h.scores((name, shape, fanIn, fanOut, init) -> {
            Tensor t = Tensor.zeros(DType.FLOAT32, shape);
            init.fill(t.floats(), shape, fanIn, fanOut, random);
            if (name.startsWith("image_b")) {
                for (int i = 0; i < t.size(); i++) {
                    t.floats()[i] = (float) random.nextGaussian();
                }
            }
            return g.input("param/" + name, Role.PARAMETER, t);
        }, x));
        return g;
    }

    @Test
    void scoresAreTheClampedScaleTimesTheCosineOfEveryImageWithEveryCaption() {
        DualEncoder h = create(Map.of(), Shape.BATCH);
        Graph g = build(h);
        assertEquals(List.of("param/image_W1", "param/image_b1", "param/image_W2", "param/image_b2", "param/text_E",
                "param/text_P", "param/t"), List.copyOf(g.initialValues().keySet()));
        assertEquals(Shape.of(Shape.BATCH, Shape.BATCH), g.outputs().get("scores").shape());
        int n = 3;
        Random r = new Random(9);
        float[] x = new float[n * (IMAGE + TOKENS)];
        long[][] tokens = {{3, 1, 0, 0}, {6, 6, 2, 5}, {0, 0, 0, 0}};
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < IMAGE; j++) {
                x[i * (IMAGE + TOKENS) + j] = (float) r.nextGaussian();
            }
            for (int t = 0; t < TOKENS; t++) {
                x[i * (IMAGE + TOKENS) + IMAGE + t] = tokens[i][t];
            }
        }
        Map<String, Tensor> p = g.initialValues();
        double[][] images = new double[n][];
        double[][] texts = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] pixels = new double[IMAGE];
            for (int j = 0; j < IMAGE; j++) {
                pixels[j] = x[i * (IMAGE + TOKENS) + j];
            }
            double[] hidden = dense(pixels, p.get("param/image_W1"), p.get("param/image_b1"));
            for (int j = 0; j < hidden.length; j++) {
                hidden[j] = Math.max(0, hidden[j]);
            }
            images[i] = unit(dense(hidden, p.get("param/image_W2"), p.get("param/image_b2")));
            double[] mean = new double[WORD];
            int count = 0;
            for (long id : tokens[i]) {
                if (id != 0) {
                    count++;
                    for (int w = 0; w < WORD; w++) {
                        mean[w] += p.get("param/text_E").floats()[(int) id * WORD + w];
                    }
                }
            }
            for (int w = 0; w < WORD; w++) {
                mean[w] /= Math.max(count, 1);
            }
            texts[i] = unit(dense(mean, p.get("param/text_P"), null));
        }
        double scale = Math.min(Math.exp(p.get("param/t").floats()[0]), 100);
        assertEquals(2.0, scale, 1e-6, "t starts at ln(1 / temperature)");
        double[] expected = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (int d = 0; d < DIM; d++) {
                    expected[i * n + j] += scale * images[i][d] * texts[j][d];
                }
            }
        }
        try (Executable e = GraphHarness.compile(GraphHarness.backend("cpu"), g, n,
                Map.of("x", Tensor.of(Shape.of(n, IMAGE + TOKENS), x)))) {
            e.run();
            GraphHarness.assertClose(expected, GraphHarness.output(e, "scores"), 1e-5, 1e-5, "similarities");
        }
    }

    @Test
    void theScaleIsClampedAtMaxScale() {
        Graph g = build(create(Map.of("temperature", 0.001, "max-scale", 10.0), Shape.BATCH));
        Tensor ones = Tensor.zeros(DType.FLOAT32, Shape.of(1, IMAGE + TOKENS));
        ones.floats()[IMAGE] = 2;
        try (Executable e = GraphHarness.compile(GraphHarness.backend("cpu"), g, 1, Map.of("x", ones))) {
            e.run();
            double cosine = GraphHarness.output(e, "scores")[0] / 10;
            assertTrue(Math.abs(cosine) <= 1 + 1e-6, "exp(t) = 1000 is clamped to 10: score / 10 is a cosine, got " + cosine);
        }
    }

    @Test
    void refusesLossesThatAskForPerExampleScoresAndDataWithoutTokens() {
        OptionException e = assertThrows(OptionException.class, () -> create(Map.of(), 10));
        assertTrue(e.getMessage().contains("'clip'"), e.getMessage());
        DualEncoderHypothesis p = new DualEncoderHypothesis();
        OptionException wrong = assertThrows(OptionException.class, () -> p.create(p.options().validate(Map.of(),
                "hypothesis", List.of()), DataSpec.classification(Shape.of(784), 10, List.of()), Shape.BATCH));
        assertEquals("hypothesis.image-size", wrong.path());
    }

    @Test
    void perExampleHypothesesRefuseTheClipLossNamingDualEncoder() {
        for (var p : List.of(new Linear(), new Mlp())) {
            OptionException e = assertThrows(OptionException.class, () -> p.create(p.options().validate(Map.of(),
                    "hypothesis", List.of()), SPEC, Shape.BATCH));
            assertTrue(e.getMessage().contains("use hypothesis 'dual-encoder'"), e.getMessage());
        }
    }

    private static double[] dense(double[] in, Tensor w, Tensor b) {
        int out = w.shape().dim(1);
        double[] r = new double[out];
        for (int o = 0; o < out; o++) {
            double s = b == null ? 0 : b.floats()[o];
            for (int i = 0; i < in.length; i++) {
                s += in[i] * w.floats()[i * out + o];
            }
            r[o] = s;
        }
        return r;
    }

    private static double[] unit(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm + 1e-12);  // the model's floor: an empty caption embeds to 0, not NaN
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i] / norm;
        }
        return r;
    }
}
