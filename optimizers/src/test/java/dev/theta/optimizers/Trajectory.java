package dev.theta.optimizers;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.testing.GraphHarness;
import dev.theta.api.train.TrainingProgram;

import java.util.Map;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

/**
 * Fixed problems for optimizer trajectories: each has a graph loss of a parameter vector w and the same loss's
 * gradient in double precision, so a reference implementation of an update rule can be stepped beside the graph.
 * The graph's gradient is float32: where a normalising rule (Adagrad, RMSprop, Adam) drives the logistic problem
 * to a gradient component near 1e-5, the rounding of that component alone can move w by more than 1e-5 within 50
 * steps (the double rule fed a float32 gradient does), so test cases keep clear of that regime.
 */
enum Trajectory {
    /** f(w) = ½ Σ a_i (w_i − c_i)², a badly conditioned bowl. */
    QUADRATIC {
        final double[] a = {0.5, 1, 2, 4, 8};
        final double[] c = {1, -2, 0.5, 3, -1};

        @Override
        Value loss(Value w) {
            Graph g = w.graph();
            Value diff = w.sub(g.constant(floats(c)));
            return g.constant(floats(a)).mul(diff).mul(diff).sum().mul(0.5f);
        }

        @Override
        double[] gradient(double[] w) {
            double[] grad = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                grad[i] = a[i] * (w[i] - c[i]);
            }
            return grad;
        }
    },
    /** Logistic regression on 32 fixed random points: mean(softplus(z) − y·z) with z = Xw. */
    LOGISTIC {
        final int m = 32;
        final double[][] x = new double[m][5];
        final double[] y = new double[m];

        {
            Random r = new Random(3);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < 5; j++) {
                    x[i][j] = (float) r.nextGaussian();
                }
                y[i] = r.nextBoolean() ? 1 : 0;
            }
        }

        @Override
        Value loss(Value w) {
            Graph g = w.graph();
            float[] xs = new float[m * 5];
            float[] ys = new float[m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < 5; j++) {
                    xs[i * 5 + j] = (float) x[i][j];
                }
                ys[i] = (float) y[i];
            }
            Value z = g.constant(Tensor.of(Shape.of(m, 5), xs)).matmul(w.reshape(5, 1)).reshape(m);
            return z.softplus().sub(g.constant(Tensor.of(Shape.of(m), ys)).mul(z)).mean();
        }

        @Override
        double[] gradient(double[] w) {
            double[] grad = new double[5];
            for (int i = 0; i < m; i++) {
                double z = 0;
                for (int j = 0; j < 5; j++) {
                    z += x[i][j] * w[j];
                }
                double p = 1 / (1 + Math.exp(-z));
                for (int j = 0; j < 5; j++) {
                    grad[j] += (p - y[i]) * x[i][j] / m;
                }
            }
            return grad;
        }
    };

    static final double[] START = {0.3, -0.2, 0.1, 0.5, -0.4};
    static final int STEPS = 50;

    abstract Value loss(Value w);

    abstract double[] gradient(double[] w);

    static Tensor floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.of(Shape.of(v.length), f);
    }

    /** A double-precision reference update rule with its own state: new w from w, ∇f(w), the 1-based step and lr. */
    interface Reference {
        double[] step(double[] w, double[] gradient, int t, double lr);
    }

    /** Asserts that 50 graph steps of {@code optimizer} stay within 1e-5 of {@code reference}, both fed {@code lr(t)}. */
    void assertFollows(Optimizer optimizer, IntToDoubleFunction lr, Reference reference, String what) {
        double[][] graph = graphTrajectory(optimizer, lr, STEPS);
        double[] w = START.clone();
        for (int t = 1; t <= STEPS; t++) {
            w = reference.step(w, gradient(w), t, lr.applyAsDouble(t));
            GraphHarness.assertClose(w, graph[t - 1], 1e-5, 1e-5, what + " on " + this + ", step " + t);
        }
    }

    /** Runs {@code steps} graph steps of {@code optimizer} with learning rate {@code lr(t)}; returns w after each. */
    private double[][] graphTrajectory(Optimizer optimizer, IntToDoubleFunction lr, int steps) {
        Graph g = new Graph();
        Value w = g.input("param/w", Role.PARAMETER, floats(START));
        TrainingProgram.appendUpdate(g, loss(w), Map.of("param/w", w), optimizer);
        double[][] out = new double[steps][];
        try (Executable e = GraphHarness.compile(GraphHarness.backend("cpu"), g, 1, Map.of())) {
            for (int t = 1; t <= steps; t++) {
                e.input(TrainingProgram.LEARNING_RATE).floats()[0] = (float) lr.applyAsDouble(t);
                e.input(TrainingProgram.STEP).floats()[0] = t;
                e.run();
                Tensor now = e.input("param/w");
                out[t - 1] = new double[now.size()];
                for (int i = 0; i < now.size(); i++) {
                    out[t - 1][i] = now.get(i);
                }
            }
        }
        return out;
    }
}
