package dev.theta.hypotheses;

import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.options.OptionException;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.SequenceHypothesis;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.testing.GraphHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transformer against a double-precision forward pass written out by hand (embeddings, LayerNorm, causal
 * multi-head attention, GELU MLP, tied head), and the gradient of every parameter against finite differences of
 * that reference.
 */
class TransformerTest {
    private static final int V = 5;
    private static final int T = 3;
    private static final int C = 4;
    private static final int H = 2;
    private static final int L = 2;
    private static final int N = 2;
    private static final long[] IDS = {0, 3, 1, 4, 4, 2};

    private static DataSpec spec() {
        return new DataSpec(Shape.of(T), DType.INT64, V, List.of("a", "b", "c", "d", "e"), Shape.of(T));
    }

    private static Hypothesis hypothesis(Map<String, Object> options) {
        Transformer provider = new Transformer();
        return provider.create(provider.options().validate(options, "hypothesis", List.of()), spec(), V);
    }

    /** Scores, and the gradient of Σ scores ⊙ r with respect to every parameter. */
    private static Graph build(Map<String, Object> options, Map<String, Value> params) {
        return build(options, params, new ArrayList<>());
    }

    /** As {@link #build(Map, Map)}, recording the hypothesis's dropout calls (identities here) in {@code dropouts}. */
    private static Graph build(Map<String, Object> options, Map<String, Value> params,
                               List<RecordingParameters.Call> dropouts) {
        Graph g = new Graph();
        Random random = new Random(5);
        Value x = g.input("x", Role.DATA, DType.INT64, Shape.of(Shape.BATCH, T));
        RecordingParameters recording = new RecordingParameters((name, shape, fanIn, fanOut, init) -> {
            // Values away from the initialisers' so LayerNorm weights, biases and small projections all matter.
            float[] data = new float[shape.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (random.nextGaussian() * 0.5 + (name.endsWith("ln_1.weight") || name.endsWith("ln_2.weight")
                        || name.equals("ln_f.weight") ? 1 : 0));
            }
            Value v = g.input("param/" + name, Role.PARAMETER, Tensor.of(shape, data));
            params.put(name, v);
            return v;
        });
        Value scores = hypothesis(options).scores(recording, x);
        dropouts.addAll(recording.calls);
        g.output("scores", scores);
        Value loss = scores.mul(g.input("r", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, T, V))).sum();
        Map<Value, Value> grads = Autodiff.gradients(loss, List.copyOf(params.values()));
        params.forEach((name, v) -> g.output("d/" + name, grads.get(v)));
        return g;
    }

    @ParameterizedTest(name = "bias {0}, tied {1}, {2}")
    @CsvSource({"true, true, gelu", "false, false, gelu-tanh", "true, false, gelu"})
    void scoresAndEveryGradientMatchTheDoublePrecisionReference(boolean bias, boolean tied, String activation) {
        Map<String, Object> options = Map.of("layers", L, "heads", H, "embedding", C, "bias", bias,
                "tie-weights", tied, "activation", activation);
        Map<String, Value> paramValues = new LinkedHashMap<>();
        Graph g = build(options, paramValues);
        Map<String, double[]> p = new HashMap<>();
        g.initialValues().forEach((input, t) -> p.put(input.substring("param/".length()), toDoubles(t.floats())));
        assertEquals(tied, !p.containsKey("lm_head.weight"));
        assertEquals(bias, p.containsKey("h1.attn.c_attn.bias"));
        float[] r = new float[N * T * V];
        Random random = new Random(9);
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) random.nextGaussian();
        }
        Reference ref = new Reference(bias, tied, activation.equals("gelu-tanh"));
        try (Executable e = GraphHarness.compile(GraphHarness.backend("cpu"), g, N,
                Map.of("x", Tensor.of(Shape.of(N, T), IDS), "r", Tensor.of(Shape.of(N, T, V), r)))) {
            e.run();
            GraphHarness.assertClose(ref.scores(p), GraphHarness.output(e, "scores"), 1e-4, 1e-4, "scores");
            double h = 1e-5;
            for (String name : paramValues.keySet()) {
                double[] values = p.get(name);
                double[] expected = new double[values.length];
                for (int i = 0; i < values.length; i++) {
                    double saved = values[i];
                    values[i] = saved + h;
                    double plus = dot(ref.scores(p), r);
                    values[i] = saved - h;
                    double minus = dot(ref.scores(p), r);
                    values[i] = saved;
                    expected[i] = (plus - minus) / (2 * h);
                }
                GraphHarness.assertClose(expected, GraphHarness.output(e, "d/" + name), 2e-3, 2e-3, "d/" + name);
            }
        }
    }

    @Test
    void dropsWhereNanoGptDropsAndBuildsTheGraphOfDropoutZeroWhereDropoutIsTheIdentity() {
        List<RecordingParameters.Call> calls = new ArrayList<>();
        Map<String, Object> options = Map.of("layers", L, "heads", H, "embedding", C, "dropout", 0.1);
        Graph withDropout = build(options, new LinkedHashMap<>(), calls);
        Shape stream = Shape.of(-T, C);
        List<Shape> expected = new ArrayList<>(List.of(stream));
        for (int layer = 0; layer < L; layer++) {
            expected.addAll(List.of(Shape.of(Shape.BATCH, H, T, T), stream, stream));
        }
        assertEquals(expected, calls.stream().map(c -> c.x().shape()).toList(),
                "the embeddings' sum, then per block: attention probabilities, attention's c_proj, the MLP's c_proj");
        assertTrue(calls.stream().allMatch(c -> c.p() == 0.1));
        for (int layer = 0; layer < L; layer++) {
            String prefix = "param/h" + layer + ".";
            assertEquals(prefix + "attn.c_proj.bias", biasOf(calls.get(3 * layer + 2).x()));
            assertEquals(prefix + "mlp.c_proj.bias", biasOf(calls.get(3 * layer + 3).x()));
        }
        List<RecordingParameters.Call> none = new ArrayList<>();
        Graph without = build(Map.of("layers", L, "heads", H, "embedding", C), new LinkedHashMap<>(), none);
        assertEquals(without.toString(), withDropout.toString());
        assertTrue(none.stream().allMatch(c -> c.p() == 0), "dropout 0 (the default) asks for p = 0 everywhere");
        OptionException one = assertThrows(OptionException.class, () -> hypothesis(Map.of("dropout", 1)));
        assertTrue(one.getMessage().startsWith("hypothesis.dropout = 1: must be in [0, 1)"), one.getMessage());
    }

    /** The name of the bias input added last in {@code v} = x · W + b. */
    private static String biasOf(Value v) {
        return ((dev.theta.api.ops.Input) v.input(1).op()).name();
    }

    @Test
    void aLaterTokenNeverChangesAnEarlierPositionsScores() {
        Map<String, Value> params = new LinkedHashMap<>();
        Graph g = build(Map.of("layers", 1, "heads", H, "embedding", C), params);
        double[] before;
        double[] after;
        Map<String, Tensor> r = Map.of("r", Tensor.zeros(DType.FLOAT32, Shape.of(N, T, V)));
        try (Executable e = GraphHarness.compile(GraphHarness.backend("cpu"), g, N, merge(r, "x", IDS))) {
            e.run();
            before = GraphHarness.output(e, "scores");
        }
        long[] changed = IDS.clone();
        changed[T - 1] = (changed[T - 1] + 1) % V;
        try (Executable e = GraphHarness.compile(GraphHarness.backend("cpu"), g, N, merge(r, "x", changed))) {
            e.run();
            after = GraphHarness.output(e, "scores");
        }
        for (int i = 0; i < (T - 1) * V; i++) {
            assertEquals(before[i], after[i], 0.0, "position " + i / V + " of window 0 sees only earlier tokens");
        }
        boolean lastMoved = false;
        for (int i = (T - 1) * V; i < T * V; i++) {
            lastMoved |= before[i] != after[i];
        }
        assertTrue(lastMoved, "the changed token's own position changes");
    }

    /**
     * The same parameters over windows of any t up to the block size (how the model is exported): the scores of t
     * tokens are those of the first t positions of a longer window, to float rounding.
     */
    @Test
    void atAShorterLengthTheScoresAreThoseOfTheWindowsFirstPositions() {
        Transformer provider = new Transformer();
        SequenceHypothesis h = (SequenceHypothesis) provider.create(provider.options().validate(
                Map.of("layers", 2, "heads", H, "embedding", C, "block-size", 5), "hypothesis", List.of()), spec(), V);
        assertEquals(5, h.maxLength(), "the position table's rows, not the data's window of " + T);
        long[] ids = {0, 3, 1, 4, 2, 4, 2, 0, 1, 3};
        double[] full = scoresAt(h.atLength(5), 5, ids);
        for (int t = 1; t <= 5; t++) {
            long[] prefix = new long[N * t];
            for (int n = 0; n < N; n++) {
                System.arraycopy(ids, n * 5, prefix, n * t, t);
            }
            double[] shorter = scoresAt(h.atLength(t), t, prefix);
            for (int n = 0; n < N; n++) {
                for (int i = 0; i < t * V; i++) {
                    assertEquals(full[n * 5 * V + i], shorter[n * t * V + i], 1e-5, "t = " + t + ", window " + n + ", score " + i);
                }
            }
        }
        assertArrayEquals(scoresAt(h, T, Arrays.copyOf(IDS, N * T)), scoresAt(h.atLength(T), T, IDS), 1e-6,
                "at the data's window the training graph");
        for (int bad : new int[] {0, 6}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.atLength(bad));
            assertEquals("a window of " + bad + " tokens: the transformer reads 1 to 5 (its block-size)", e.getMessage());
        }
    }

    /** Scores of {@code h} over windows of {@code t} tokens, parameters drawn as {@link #build} draws them. */
    private static double[] scoresAt(Hypothesis h, int t, long[] ids) {
        Graph g = new Graph();
        Random random = new Random(5);
        Value x = g.input("x", Role.DATA, DType.INT64, Shape.of(Shape.BATCH, t));
        g.output("scores", h.scores(new RecordingParameters((name, shape, fanIn, fanOut, init) -> {
            float[] data = new float[shape.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (random.nextGaussian() * 0.5 + (name.endsWith(".weight") && shape.rank() == 1 ? 1 : 0));
            }
            return g.input("param/" + name, Role.PARAMETER, Tensor.of(shape, data));
        }), x));
        try (Executable e = GraphHarness.compile(GraphHarness.backend("cpu"), g, N, Map.of("x", Tensor.of(Shape.of(N, t), ids)))) {
            e.run();
            return GraphHarness.output(e, "scores");
        }
    }

    @Test
    void refusesWindowsWithOneTargetAndHeadsThatDoNotDivide() {
        Transformer provider = new Transformer();
        OptionException single = assertThrows(OptionException.class, () -> provider.create(
                provider.options().validate(Map.of(), "hypothesis", List.of()),
                new DataSpec(Shape.of(T), DType.INT64, V, List.of("a", "b", "c", "d", "e"), Shape.SCALAR), V));
        assertTrue(single.getMessage().contains("targets: sequence"), single.getMessage());
        OptionException heads = assertThrows(OptionException.class, () -> hypothesis(Map.of("heads", 3, "embedding", 8)));
        assertEquals("hypothesis.heads = 3: does not divide embedding 8; each head gets embedding / heads channels",
                heads.getMessage());
        OptionException block = assertThrows(OptionException.class, () -> hypothesis(Map.of("block-size", 2)));
        assertTrue(block.getMessage().startsWith("hypothesis.block-size = 2: is shorter"), block.getMessage());
    }

    /**
     * init-std sets every weight's and embedding's spread, the residual projections' scaled by 1/√(2·layers) (GPT-2),
     * while LayerNorm gains start at one and biases at zero: the shakespeare-gpt example relies on it.
     */
    @Test
    void initStdSetsTheWeightsSpreadAndScalesTheResidualProjections() {
        Map<String, float[]> initial = new LinkedHashMap<>();
        Random random = new Random(11);
        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.INT64, Shape.of(Shape.BATCH, T));
        hypothesis(Map.of("embedding", 96, "heads", 2, "layers", 2, "init-std", 0.08, "tie-weights", false))
                .scores((name, shape, fanIn, fanOut, init) -> {
                    float[] data = new float[shape.size()];
                    init.fill(data, shape, fanIn, fanOut, random);
                    initial.put(name, data);
                    return g.input("param/" + name, Role.PARAMETER, Tensor.of(shape, data));
                }, x);
        assertTrue(initial.keySet().containsAll(List.of("wte", "wpe", "lm_head.weight", "h0.attn.c_attn.weight",
                "h1.mlp.c_fc.weight", "h0.attn.c_proj.weight", "h1.mlp.c_proj.weight", "ln_f.weight", "h0.ln_1.bias")),
                initial.keySet().toString());
        initial.forEach((name, data) -> {
            double mean = 0;
            double square = 0;
            for (float v : data) {
                mean += v / (double) data.length;
                square += (double) v * v / data.length;
            }
            if (name.endsWith(".bias")) {
                assertArrayEquals(new float[data.length], data, name);
            } else if (name.contains("ln_") && name.endsWith(".weight")) {
                float[] ones = new float[data.length];
                Arrays.fill(ones, 1f);
                assertArrayEquals(ones, data, name);
            } else {
                // The smallest tensor, wpe, holds 3 · 96 samples: its std is within 15% of the given one.
                double expected = name.endsWith("c_proj.weight") ? 0.08 / Math.sqrt(4) : 0.08;
                assertEquals(expected, Math.sqrt(square), 0.15 * expected, name);
                assertEquals(0, mean, 0.5 * expected, name);
            }
        });
    }

    @Test
    void isFoundByServiceLoader() {
        assertTrue(java.util.ServiceLoader.load(dev.theta.api.spi.HypothesisProvider.class).stream()
                .anyMatch(p -> p.type() == Transformer.class));
    }

    private static Map<String, Tensor> merge(Map<String, Tensor> m, String name, long[] ids) {
        Map<String, Tensor> all = new HashMap<>(m);
        all.put(name, Tensor.of(Shape.of(N, T), ids));
        return all;
    }

    private static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** The model in doubles, one window at a time, loops written out. Weights are [in, out]. */
    private record Reference(boolean bias, boolean tied, boolean geluTanh) {
        double[] scores(Map<String, double[]> p) {
            double[] out = new double[N * T * V];
            for (int n = 0; n < N; n++) {
                double[][] h = new double[T][C];
                for (int t = 0; t < T; t++) {
                    int id = (int) IDS[n * T + t];
                    for (int c = 0; c < C; c++) {
                        h[t][c] = p.get("wte")[id * C + c] + p.get("wpe")[t * C + c];
                    }
                }
                for (int l = 0; l < L; l++) {
                    String pre = "h" + l + ".";
                    double[][] a = attention(p, pre + "attn.", layerNorm(p, pre + "ln_1.", h));
                    h = add(h, a);
                    double[][] m = linear(p, pre + "mlp.c_proj.", gelu(linear(p, pre + "mlp.c_fc.", layerNorm(p, pre + "ln_2.", h), 4 * C)), C);
                    h = add(h, m);
                }
                h = layerNorm(p, "ln_f.", h);
                for (int t = 0; t < T; t++) {
                    for (int v = 0; v < V; v++) {
                        double s = 0;
                        for (int c = 0; c < C; c++) {
                            s += h[t][c] * (tied ? p.get("wte")[v * C + c] : p.get("lm_head.weight")[c * V + v]);
                        }
                        out[(n * T + t) * V + v] = s;
                    }
                }
            }
            return out;
        }

        double[][] attention(Map<String, double[]> p, String pre, double[][] x) {
            double[][] qkv = linear(p, pre + "c_attn.", x, 3 * C);
            int d = C / H;
            double[][] y = new double[T][C];
            for (int head = 0; head < H; head++) {
                for (int i = 0; i < T; i++) {
                    double[] w = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        double s = 0;
                        for (int k = 0; k < d; k++) {
                            s += qkv[i][head * d + k] * qkv[j][C + head * d + k];
                        }
                        w[j] = s / Math.sqrt(d);
                        max = Math.max(max, w[j]);
                    }
                    double total = 0;
                    for (int j = 0; j <= i; j++) {
                        w[j] = Math.exp(w[j] - max);
                        total += w[j];
                    }
                    for (int j = 0; j <= i; j++) {
                        for (int k = 0; k < d; k++) {
                            y[i][head * d + k] += w[j] / total * qkv[j][2 * C + head * d + k];
                        }
                    }
                }
            }
            return linear(p, pre + "c_proj.", y, C);
        }

        double[][] linear(Map<String, double[]> p, String pre, double[][] x, int out) {
            double[] w = p.get(pre + "weight");
            int in = x[0].length;
            double[][] y = new double[x.length][out];
            for (int t = 0; t < x.length; t++) {
                for (int o = 0; o < out; o++) {
                    double s = bias ? p.get(pre + "bias")[o] : 0;
                    for (int i = 0; i < in; i++) {
                        s += x[t][i] * w[i * out + o];
                    }
                    y[t][o] = s;
                }
            }
            return y;
        }

        double[][] layerNorm(Map<String, double[]> p, String pre, double[][] x) {
            double[][] y = new double[x.length][C];
            for (int t = 0; t < x.length; t++) {
                double mean = 0;
                for (double v : x[t]) {
                    mean += v / C;
                }
                double var = 0;
                for (double v : x[t]) {
                    var += (v - mean) * (v - mean) / C;
                }
                for (int c = 0; c < C; c++) {
                    y[t][c] = (x[t][c] - mean) / Math.sqrt(var + 1e-5) * p.get(pre + "weight")[c]
                            + (bias ? p.get(pre + "bias")[c] : 0);
                }
            }
            return y;
        }

        double[][] gelu(double[][] x) {
            double[][] y = new double[x.length][];
            for (int t = 0; t < x.length; t++) {
                y[t] = new double[x[t].length];
                for (int i = 0; i < x[t].length; i++) {
                    double v = x[t][i];
                    y[t][i] = geluTanh ? 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)))
                            : 0.5 * v * (1 + erf(v / Math.sqrt(2)));
                }
            }
            return y;
        }

        static double[][] add(double[][] a, double[][] b) {
            double[][] y = new double[a.length][];
            for (int t = 0; t < a.length; t++) {
                y[t] = new double[a[t].length];
                for (int i = 0; i < a[t].length; i++) {
                    y[t][i] = a[t][i] + b[t][i];
                }
            }
            return y;
        }

        /** erf by its Maclaurin series, exact to double precision for the |x| < 3 this test sees. */
        static double erf(double x) {
            double sum = 0;
            double term = x;
            for (int k = 0; k < 200; k++) {
                sum += term / (2 * k + 1);
                term *= -x * x / (k + 1);
            }
            return 2 / Math.sqrt(Math.PI) * sum;
        }
    }
}
