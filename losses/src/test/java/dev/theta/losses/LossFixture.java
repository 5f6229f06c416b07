package dev.theta.losses;

import dev.theta.api.options.OptionException;
import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.Reduction;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.testing.GraphHarness;
import dev.theta.api.train.TrainingProgram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a loss on the CPU backend — per-example values, the objective of {@link TrainingProgram#reduce} and its
 * gradient with respect to the scores — and compares them with an independent double-precision reference.
 */
final class LossFixture {
    /** Relative tolerance of every comparison. */
    static final double REL = 1e-5;
    /**
     * Absolute tolerance added for values near 0, about two float32 ulps of 1: a loss such as log(1 + 1e−4) is
     * rounded at that level (there is no log1p primitive). Gradients get it divided by the mean's denominator.
     */
    static final double ABS = 1e-7;

    private LossFixture() {
    }

    /** A hand-written double-precision definition of a loss, one example at a time. */
    interface Reference {
        /** ℓ(h, t) for scores h and target t (the class index, or the target values); writes dℓ/dh into grad. */
        double loss(double[] h, double[] t, double[] grad);

        /** The example's weight in the denominator of the mean. */
        default double meanWeight(double[] t) {
            return 1;
        }
    }

    /** Scores [n, width] and targets: class indices, or real values of shape targetShape per example. */
    record Batch(DataSpec spec, int n, int width, float[] scores, long[] classes, float[] values) {
        /** Targets of example i as doubles. */
        double[] target(int i) {
            if (classes != null) {
                return new double[] {classes[i]};
            }
            int m = values.length / n;
            double[] t = new double[m];
            for (int j = 0; j < m; j++) {
                t[j] = values[i * m + j];
            }
            return t;
        }

        double[] scoreRow(int i) {
            double[] h = new double[width];
            for (int j = 0; j < width; j++) {
                h[j] = scores[i * width + j];
            }
            return h;
        }

        double maxAbsScore() {
            double max = 0;
            for (float s : scores) {
                max = Math.max(max, Math.abs(s));
            }
            return max;
        }

        /** Gaussian scores of standard deviation {@code scale} for random classes; row 0 is all zeros. */
        static Batch classes(int n, int k, int width, double scale, long seed) {
            Random r = new Random(seed);
            float[] scores = gaussian(r, n * width, scale);
            Arrays.fill(scores, 0, width, 0f);
            long[] classes = new long[n];
            for (int i = 0; i < n; i++) {
                classes[i] = r.nextInt(k);
            }
            return new Batch(DataSpec.classification(Shape.of(1), k, List.of()), n, width, scores, classes, null);
        }

        /** Gaussian scores and real targets of shape {@code targetShape}, both of standard deviation {@code scale}. */
        static Batch regression(int n, Shape targetShape, double scale, long seed) {
            Random r = new Random(seed);
            int m = targetShape.size();
            DataSpec spec = new DataSpec(Shape.of(1), DType.FLOAT32, 0, List.of(), targetShape);
            return new Batch(spec, n, m, gaussian(r, n * m, scale), null, gaussian(r, n * m, scale));
        }

        private static float[] gaussian(Random r, int size, double scale) {
            float[] out = new float[size];
            for (int i = 0; i < size; i++) {
                out[i] = (float) (r.nextGaussian() * scale);
            }
            return out;
        }
    }

    /** What the backend computed; {@code objective} and {@code gradient} are null for reduction none. */
    record Result(Loss loss, double[] perExample, double[] objective, double[] gradient) {
    }

    static Loss create(LossProvider provider, Map<String, ?> options, DataSpec spec) {
        return provider.create(provider.options().validate(options, "loss", List.of()), spec);
    }

    static Result run(LossProvider provider, Map<String, ?> options, Batch b) {
        Loss loss = create(provider, options, b.spec());
        assertEquals(b.width(), loss.scores(b.spec()), "scores per example");
        Graph g = new Graph();
        Value s = g.input("scores", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, b.width()));
        Value y = b.classes() != null
                ? g.input("y", Role.DATA, DType.INT64, Shape.of(Shape.BATCH))
                : g.input("y", Role.DATA, DType.FLOAT32, withBatch(b.spec().targetShape()));
        Value per = loss.perExample(s, y);
        assertEquals(Shape.of(Shape.BATCH), per.shape(), "per-example shape");
        g.output("per", per);
        boolean reduced = loss.reduction() != Reduction.NONE;
        boolean trainable = loss.notTrainableReason() == null;
        if (reduced) {
            Value objective = TrainingProgram.reduce(loss, per, y);
            g.output("objective", objective);
            if (trainable) {
                g.output("grad", Autodiff.gradients(objective, List.of(s)).get(s));
            }
        } else {
            OptionException e = assertThrows(OptionException.class, () -> TrainingProgram.reduce(loss, per, y));
            assertTrue(e.path().equals("loss.reduction") && e.getMessage().contains("one loss per example"), e.getMessage());
        }
        Map<String, Tensor> inputs = new HashMap<>();
        inputs.put("scores", Tensor.of(Shape.of(b.n(), b.width()), b.scores()));
        inputs.put("y", b.classes() != null ? Tensor.of(Shape.of(b.n()), b.classes())
                : Tensor.of(withBatch(b.spec().targetShape()).resolve(b.n()), b.values()));
        try (Executable e = GraphHarness.compile(GraphHarness.backend("cpu"), g, b.n(), inputs)) {
            e.run();
            return new Result(loss,
                    GraphHarness.output(e, "per"),
                    reduced ? GraphHarness.output(e, "objective") : null,
                    reduced && trainable ? GraphHarness.output(e, "grad") : null);
        }
    }

    /** Runs the loss with every reduction and compares values and gradients with the reference. */
    static void checkAllReductions(LossProvider provider, Map<String, ?> options, Batch b, Reference ref) {
        for (Reduction reduction : Reduction.values()) {
            Map<String, Object> withReduction = new LinkedHashMap<>(options);
            withReduction.put("reduction", reduction.label());
            check(provider, withReduction, b, ref);
        }
    }

    /**
     * Compares per-example values, the objective and its gradient (the gradient's floor is scaled like the
     * gradient, by 1 / the mean's denominator) with the reference, and requires all of them to be finite.
     */
    static void check(LossProvider provider, Map<String, ?> options, Batch b, Reference ref) {
        Result got = run(provider, options, b);
        String what = provider.name() + " " + options + " |h| <= " + (float) b.maxAbsScore();
        Reduction reduction = got.loss().reduction();
        assertEquals(Reduction.of(String.valueOf(options.get("reduction"))), reduction, what);

        double[] per = new double[b.n()];
        double[] grad = new double[b.n() * b.width()];
        double weightSum = 0;
        for (int i = 0; i < b.n(); i++) {
            double[] t = b.target(i);
            double[] g = new double[b.width()];
            per[i] = ref.loss(b.scoreRow(i), t, g);
            System.arraycopy(g, 0, grad, i * b.width(), b.width());
            weightSum += ref.meanWeight(t);
        }
        assertFinite(got.perExample(), what + " per-example");
        GraphHarness.assertClose(per, got.perExample(), REL, ABS, what + " per-example");
        if (reduction == Reduction.NONE) {
            return;
        }
        double denominator = reduction == Reduction.MEAN ? weightSum : 1;
        double objective = 0;
        for (double v : per) {
            objective += v / denominator;
        }
        assertFinite(got.objective(), what + " objective");
        GraphHarness.assertClose(new double[] {objective}, got.objective(), REL, ABS, what + " objective");
        if (got.gradient() != null) {
            for (int i = 0; i < grad.length; i++) {
                grad[i] /= denominator;
            }
            assertFinite(got.gradient(), what + " gradient");
            GraphHarness.assertClose(grad, got.gradient(), REL, ABS / denominator, what + " gradient");
        }
    }

    static void assertFinite(double[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            assertTrue(Double.isFinite(values[i]), what + "[" + i + "] = " + values[i]);
        }
    }

    static Shape withBatch(Shape s) {
        int[] dims = new int[s.rank() + 1];
        dims[0] = Shape.BATCH;
        System.arraycopy(s.dims(), 0, dims, 1, s.rank());
        return Shape.of(dims);
    }

    /** Every combination of the given option values, as option maps. */
    static List<Map<String, Object>> combinations(Map<String, List<?>> choices) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<?>> e : choices.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : out) {
                for (Object v : e.getValue()) {
                    Map<String, Object> m = new LinkedHashMap<>(partial);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }
}
