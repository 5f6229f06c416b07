package dev.theta.losses;

import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.reference.ReferenceInterpreter;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Loss;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.testing.GraphHarness;
import dev.theta.api.train.TrainingProgram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clip loss against a double-precision definition written out here (per-example values, the mean and its
 * gradient with respect to S), run on the CPU backend, and its autodiff gradient against central finite differences
 * of the reference interpreter.
 */
class ClipTest {
    private static final int N = 7;
    private static final DataSpec SPEC = DataSpec.classification(Shape.of(3), 2, List.of());

    /** scores [N, N] and unused targets [N] → per-example loss, mean, and d mean / d scores. */
    private static Graph graph() {
        Loss loss = LossFixture.create(new Clip(), Map.of(), SPEC);
        Graph g = new Graph();
        Value s = g.input("scores", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, Shape.BATCH));
        Value y = g.input("y", Role.DATA, DType.INT64, Shape.of(Shape.BATCH));
        Value per = loss.perExample(s, y);
        assertEquals(Shape.of(Shape.BATCH), per.shape());
        Value objective = TrainingProgram.reduce(loss, per, y);
        g.output("per", per);
        g.output("objective", objective);
        g.output("grad", Autodiff.gradients(objective, List.of(s)).get(s));
        return g;
    }

    private static double[] scores(double scale, long seed) {
        Random r = new Random(seed);
        double[] s = new double[N * N];
        for (int i = 0; i < s.length; i++) {
            s[i] = r.nextGaussian() * scale;
        }
        return s;
    }

    /** ℓ_i = ½(logΣ_j e^{S_ij} − S_ii + logΣ_j e^{S_ji} − S_ii). */
    private static double[] referencePerExample(double[] s) {
        double[] out = new double[N];
        for (int i = 0; i < N; i++) {
            out[i] = 0.5 * (logSumExp(s, i, true) - s[i * N + i] + logSumExp(s, i, false) - s[i * N + i]);
        }
        return out;
    }

    /** d mean ℓ / dS_ij = (softmax_row(S)_ij + softmax_col(S)_ij − 2δ_ij) / 2N. */
    private static double[] referenceGradient(double[] s) {
        double[] g = new double[N * N];
        for (int i = 0; i < N; i++) {
            double rowLse = logSumExp(s, i, true);
            double colLse = logSumExp(s, i, false);
            for (int j = 0; j < N; j++) {
                g[i * N + j] += Math.exp(s[i * N + j] - rowLse) - (i == j ? 1 : 0);
                g[j * N + i] += Math.exp(s[j * N + i] - colLse) - (i == j ? 1 : 0);
            }
        }
        for (int k = 0; k < g.length; k++) {
            g[k] /= 2.0 * N;
        }
        return g;
    }

    /** log Σ over row {@code k} (or column {@code k}) of S. */
    private static double logSumExp(double[] s, int k, boolean row) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < N; j++) {
            max = Math.max(max, row ? s[k * N + j] : s[j * N + k]);
        }
        double sum = 0;
        for (int j = 0; j < N; j++) {
            sum += Math.exp((row ? s[k * N + j] : s[j * N + k]) - max);
        }
        return max + Math.log(sum);
    }

    @ParameterizedTest(name = "|S| ~ {0}")
    @ValueSource(doubles = {0.1, 1, 10, 100})
    void matchesTheHandWrittenReferenceOnTheCpuBackend(double scale) {
        double[] s = scores(scale, 3);
        float[] f = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            f[i] = (float) s[i];
            s[i] = f[i];
        }
        double[] per = referencePerExample(s);
        double mean = 0;
        for (double v : per) {
            mean += v / N;
        }
        Map<String, Tensor> inputs = Map.of("scores", Tensor.of(Shape.of(N, N), f), "y", Tensor.of(Shape.of(N), new long[N]));
        try (Executable e = GraphHarness.compile(GraphHarness.backend("cpu"), graph(), N, inputs)) {
            e.run();
            String what = "clip at scale " + scale;
            GraphHarness.assertClose(per, GraphHarness.output(e, "per"), 1e-5, 1e-6, what + " per-example");
            GraphHarness.assertClose(new double[] {mean}, GraphHarness.output(e, "objective"), 1e-5, 1e-6, what + " mean");
            GraphHarness.assertClose(referenceGradient(s), GraphHarness.output(e, "grad"), 1e-4, 1e-6, what + " gradient");
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesInDoublePrecision() {
        Graph g = graph();
        double[] s = scores(2, 11);
        double[] y = new double[N];
        double[] analytic = ReferenceInterpreter.run(g, N, Map.of("scores", s, "y", y)).get("grad");
        GraphHarness.assertClose(referenceGradient(s), analytic, 1e-12, 1e-14, "autodiff against the hand-written gradient");
        double eps = 1e-6;
        for (int k = 0; k < s.length; k++) {
            double saved = s[k];
            s[k] = saved + eps;
            double up = ReferenceInterpreter.run(g, N, Map.of("scores", s, "y", y)).get("objective")[0];
            s[k] = saved - eps;
            double down = ReferenceInterpreter.run(g, N, Map.of("scores", s, "y", y)).get("objective")[0];
            s[k] = saved;
            double numeric = (up - down) / (2 * eps);
            assertEquals(numeric, analytic[k], 1e-8, "d loss / d S[" + k / N + ", " + k % N + "]");
        }
    }

    @Test
    void perfectlySeparatedPairsCostNothingAndTheLossReadsNoLabels() {
        Loss loss = LossFixture.create(new Clip(), Map.of(), SPEC);
        assertEquals(Shape.BATCH, loss.scores(SPEC));
        assertEquals(Decision.NONE, loss.decision());
        double[] s = new double[N * N];
        for (int i = 0; i < N; i++) {
            s[i * N + i] = 100;
        }
        double[] per = ReferenceInterpreter.run(graph(), N, Map.of("scores", s, "y", new double[N])).get("per");
        for (double v : per) {
            assertTrue(v >= 0 && v < 1e-30, "loss " + v);
        }
    }

    @Test
    void refusesScoresThatAreNotABatchByBatchMatrix() {
        Loss loss = LossFixture.create(new Clip(), Map.of(), SPEC);
        Graph g = new Graph();
        Value s = g.input("scores", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 10));
        Value y = g.input("y", Role.DATA, DType.INT64, Shape.of(Shape.BATCH));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loss.perExample(s, y));
        assertTrue(e.getMessage().contains("hypothesis 'dual-encoder'"), e.getMessage());
    }
}
