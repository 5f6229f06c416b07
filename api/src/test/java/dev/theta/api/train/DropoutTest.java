package dev.theta.api.train;

import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.ops.RandomBits;
import dev.theta.api.reference.ReferenceInterpreter;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.Initializer;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The step graph's dropout, run on the double-precision reference: the share of dropped elements, the exact scale
 * of the kept ones, masks as a pure function of (seed, step, call site, index), the gradient, and that the eval and
 * predict graphs of a hypothesis with dropout are those of the same hypothesis without it.
 */
class DropoutTest {
    private static final int N = 100_000;

    /** Output y_s for each call site s: dropout(x, p) called {@code sites} times on the same input. */
    private static Map<String, double[]> run(long seed, double p, int sites, double step, double[] x) {
        Graph g = new Graph();
        Value in = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(x.length));
        Dropout dropout = new Dropout(g, seed);
        for (int s = 0; s < sites; s++) {
            g.output("y" + s, dropout.apply(in, p));
        }
        return ReferenceInterpreter.run(g, 1, Map.of("x", x, TrainingProgram.STEP, new double[] {step}));
    }

    private static double[] ones(int n) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, 1);
        return x;
    }

    private static boolean[] kept(double[] y) {
        boolean[] k = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            k[i] = y[i] != 0;
        }
        return k;
    }

    private static double agreement(boolean[] a, boolean[] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        return (double) same / a.length;
    }

    /** |share − q| within 5 standard deviations of a binomial share over {@code n} trials. */
    private static void assertBinomial(double q, double share, int n, String what) {
        double bound = 5 * Math.sqrt(q * (1 - q) / n);
        assertTrue(Math.abs(share - q) <= bound, what + ": " + share + ", expected " + q + " ± " + bound);
    }

    @ParameterizedTest(name = "p = {0}")
    @ValueSource(doubles = {0.1, 0.5, 0.9})
    void dropsASharePOfTheElementsAndScalesTheOthersBy1Over1MinusPExactly(double p) {
        Random random = new Random(3);
        double[] x = new double[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) (random.nextGaussian() + 0.001);
        }
        double[] y = run(11, p, 1, 5, x).get("y0");
        double scale = Dropout.scale(p);
        int zeros = 0;
        for (int i = 0; i < N; i++) {
            if (y[i] == 0) {
                zeros++;
            } else {
                assertEquals(x[i] * scale, y[i], 0, "element " + i);
            }
        }
        assertBinomial(p, (double) zeros / N, N, "share of zeros");
        assertEquals((float) (1 / (1 - p)), (float) scale);
    }

    @Test
    void theMaskIsAPureFunctionOfSeedStepCallSiteAndIndex() {
        double p = 0.5;
        double[] x = ones(N);
        Map<String, double[]> first = run(11, p, 2, 5, x);
        assertArrayEquals(first.get("y0"), run(11, p, 2, 5, x).get("y0"), "same seed and step: same mask");
        long stream = RandomBits.stream(11, 1);
        long threshold = Dropout.threshold(p);
        for (int i = 0; i < N; i++) {
            boolean keep = RandomBits.bits(stream, 5, i) >= threshold;
            assertEquals(keep, first.get("y1")[i] != 0, "site 1, element " + i);
        }
        boolean[] mask = kept(first.get("y0"));
        // Independent masks of drop probability 1/2 agree on half of the elements.
        assertBinomial(0.5, agreement(mask, kept(run(11, p, 1, 6, x).get("y0"))), N, "steps 5 and 6 agree");
        assertBinomial(0.5, agreement(mask, kept(first.get("y1"))), N, "sites 0 and 1 agree");
        assertBinomial(0.5, agreement(mask, kept(run(12, p, 1, 5, x).get("y0"))), N, "seeds 11 and 12 agree");
    }

    @Test
    void theMaskOfAShorterTensorIsAPrefix() {
        double[] longer = run(11, 0.3, 1, 9, ones(1000)).get("y0");
        double[] shorter = run(11, 0.3, 1, 9, ones(10)).get("y0");
        assertArrayEquals(java.util.Arrays.copyOf(longer, 10), shorter);
    }

    @Test
    void theGradientIsTheMaskTimesTheScaleAndFiniteDifferencesAgree() {
        int n = 64;
        double p = 0.25;
        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(n));
        Value r = g.input("r", Role.DATA, DType.FLOAT32, Shape.of(n));
        Value y = new Dropout(g, 4).apply(x.mul(x), p);
        Value loss = y.mul(r).sum();
        g.output("loss", loss);
        g.output("y", y);
        g.output("dx", Autodiff.gradients(loss, List.of(x)).get(x));
        Random random = new Random(8);
        double[] xs = new double[n];
        double[] rs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = random.nextGaussian();
            rs[i] = random.nextGaussian();
        }
        double[] step = {3};
        Map<String, double[]> out = ReferenceInterpreter.run(g, 1, Map.of("x", xs, "r", rs, TrainingProgram.STEP, step));
        double scale = Dropout.scale(p);
        int dropped = 0;
        for (int i = 0; i < n; i++) {
            double mask = out.get("y")[i] == 0 ? 0 : scale;
            dropped += mask == 0 ? 1 : 0;
            assertEquals(2 * xs[i] * rs[i] * mask, out.get("dx")[i], 1e-12, "dL/dx_" + i);
            double h = 1e-5;
            double[] plus = xs.clone();
            double[] minus = xs.clone();
            plus[i] += h;
            minus[i] -= h;
            double lp = ReferenceInterpreter.run(g, 1, Map.of("x", plus, "r", rs, TrainingProgram.STEP, step)).get("loss")[0];
            double lm = ReferenceInterpreter.run(g, 1, Map.of("x", minus, "r", rs, TrainingProgram.STEP, step)).get("loss")[0];
            assertEquals(out.get("dx")[i], (lp - lm) / (2 * h), 1e-6, "finite difference at " + i);
        }
        assertTrue(dropped > 0 && dropped < n, "the case drops some elements and keeps others: " + dropped);
    }

    @Test
    void zeroAddsNoNodeAndProbabilitiesOutsideZeroToOneAreRefused() {
        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(3));
        Dropout dropout = new Dropout(g, 1);
        assertSame(x, dropout.apply(x, 0));
        assertEquals(1, g.nodes().size(), "no STEP input either");
        for (double p : new double[] {1, -0.1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dropout.apply(x, p));
            assertEquals("dropout probability must be in [0, 1): " + p, e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ((Parameters) (name, shape, in, out, init) -> null).dropout(x, p));
        }
    }

    /** scores = dropout(x · W, p): one linear layer with dropout on its scores. */
    private static Hypothesis linear(double p) {
        return (params, x) -> params.dropout(x.matmul(params.create("W", Shape.of(4, 3), 4, 3, Initializer.normal(1))), p);
    }

    private static final DataSpec DATA = DataSpec.classification(Shape.of(4), 3, List.of("a", "b", "c"));
    private static final Loss LOSS = new Loss() {
        @Override public int scores(DataSpec data) { return 3; }
        @Override public Value perExample(Value scores, Value target) { return scores.logSoftmax(1).neg().sum(1); }
        @Override public Decision decision() { return Decision.ARGMAX; }
    };
    private static final Optimizer SGD = u -> u.parameter().sub(u.gradient().mul(u.learningRate()));

    @Test
    void onlyTheStepGraphDropsTheEvalAndPredictGraphsAreThoseWithoutDropout() {
        TrainingProgram with = TrainingProgram.build(DATA, linear(0.5), LOSS, SGD, 7);
        TrainingProgram without = TrainingProgram.build(DATA, linear(0), LOSS, SGD, 7);
        TrainingProgram never = TrainingProgram.build(DATA, (params, x) -> x.matmul(params.create("W", Shape.of(4, 3), 4, 3,
                Initializer.normal(1))), LOSS, SGD, 7);
        assertTrue(with.step().nodes().stream().anyMatch(v -> v.op() instanceof RandomBits));
        assertEquals(without.eval().toString(), with.eval().toString());
        assertEquals(without.predict().toString(), with.predict().toString());
        assertFalse(with.eval().toString().contains("RandomBits"));
        assertEquals(never.step().toString(), without.step().toString(), "p = 0 builds exactly the graph of no dropout");
        assertNotEquals(without.step().toString(), with.step().toString());
        assertEquals(without.step().initialValues().keySet(), with.step().initialValues().keySet());
    }
}
