package dev.theta.core.wiring;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.options.OptionException;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.testing.GraphHarness;
import dev.theta.api.train.TrainingProgram;
import dev.theta.optimizers.AdamW;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameter groups against AdamW computed by hand in double, and the groups' config errors. */
class ParameterGroupsTest {
    private static final Map<String, Shape> SHAPES = new LinkedHashMap<>();
    private static final Map<String, double[]> START = new LinkedHashMap<>();

    static {
        SHAPES.put("W", Shape.of(2, 2));
        SHAPES.put("b", Shape.of(2));
        SHAPES.put("E", Shape.of(3));
        START.put("W", new double[] {0.5, -0.3, 0.8, 0.1});
        START.put("b", new double[] {0.4, -0.6});
        START.put("E", new double[] {-0.2, 0.7, 0.3});
    }

    private static final int STEPS = 20;

    private static ParameterGroups groups(Map<String, Object> raw) {
        AdamW adamw = new AdamW();
        return ParameterGroups.of(new Chosen<>(adamw,
                FrameworkOptions.withFramework(PluginKind.OPTIMIZER, adamw.options()).validate(raw, "optimizer", List.of("name"))));
    }

    private static Map<String, Object> adamw(List<?> groups) {
        return Map.of("name", "adamw", "lr", 0.05, "weight-decay", 0.1, "groups", groups);
    }

    /** The scheduled rate of step t: decays, so that a group's lr must follow the schedule, not replace it. */
    private static double lr(int t) {
        return 0.05 * (1 - t / 40.0);
    }

    /** f = ½ Σ a (p − 1)² over every parameter's elements, a = 1, 2, 3, ... */
    private static double gradient(double p, int k) {
        return (k + 1) * (p - 1);
    }

    @Test
    void eachParameterFollowsAdamWWithItsGroupsOptions() {
        // E is a vector too: the first group it is in wins, so it keeps weight decay 0.1 and takes lr 0.01.
        Optimizer optimizer = groups(adamw(List.of(
                Map.of("params", List.of("E"), "lr", 0.01),
                Map.of("kind", "vector", "weight-decay", 0.0)))).create(SHAPES);
        Map<String, double[]> graph = run(optimizer);
        Map<String, double[]> expected = Map.of(
                "W", adamW(START.get("W"), 1, 0.1),
                "b", adamW(START.get("b"), 1, 0.0),
                "E", adamW(START.get("E"), 0.01 / 0.05, 0.1));
        for (String name : SHAPES.keySet()) {
            GraphHarness.assertClose(expected.get(name), graph.get(name), 1e-5, 1e-6, name);
        }
        assertTrue(Math.abs(expected.get("b")[0] - adamW(START.get("b"), 1, 0.1)[0]) > 1e-3, "the decay is large enough to see");
    }

    /** {@link #STEPS} steps of torch.optim.AdamW (betas 0.9, 0.999, eps 1e-8) at rate scale·lr(t), in double. */
    private static double[] adamW(double[] start, double scale, double weightDecay) {
        double[] p = start.clone();
        double[] m = new double[p.length];
        double[] v = new double[p.length];
        for (int t = 1; t <= STEPS; t++) {
            double lr = scale * lr(t);
            for (int k = 0; k < p.length; k++) {
                double g = gradient(p[k], k);
                p[k] *= 1 - lr * weightDecay;
                m[k] = 0.9 * m[k] + 0.1 * g;
                v[k] = 0.999 * v[k] + 0.001 * g * g;
                double mHat = m[k] / (1 - Math.pow(0.9, t));
                double vHat = v[k] / (1 - Math.pow(0.999, t));
                p[k] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
        }
        return p;
    }

    private static Map<String, double[]> run(Optimizer optimizer) {
        Graph g = new Graph();
        Map<String, Value> params = new LinkedHashMap<>();
        Value loss = null;
        for (String name : SHAPES.keySet()) {
            double[] start = START.get(name);
            float[] data = new float[start.length];
            float[] a = new float[start.length];
            for (int k = 0; k < start.length; k++) {
                data[k] = (float) start[k];
                a[k] = k + 1;
            }
            Value p = g.input(TrainingProgram.parameter(name), Role.PARAMETER, Tensor.of(SHAPES.get(name), data));
            params.put(TrainingProgram.parameter(name), p);
            Value diff = p.reshape(start.length).sub(1f);
            Value term = g.constant(Tensor.of(Shape.of(start.length), a)).mul(diff).mul(diff).sum().mul(0.5f);
            loss = loss == null ? term : loss.add(term);
        }
        TrainingProgram.appendUpdate(g, loss, params, optimizer);
        Map<String, double[]> out = new LinkedHashMap<>();
        try (Executable e = GraphHarness.compile(GraphHarness.backend("cpu"), g, 1, Map.of())) {
            for (int t = 1; t <= STEPS; t++) {
                e.input(TrainingProgram.LEARNING_RATE).floats()[0] = (float) lr(t);
                e.input(TrainingProgram.STEP).floats()[0] = t;
                e.run();
            }
            for (String name : SHAPES.keySet()) {
                Tensor now = e.input(TrainingProgram.parameter(name));
                double[] values = new double[now.size()];
                for (int k = 0; k < values.length; k++) {
                    values[k] = now.get(k);
                }
                out.put(name, values);
            }
        }
        return out;
    }

    private static String error(List<?> groups) {
        return assertThrows(OptionException.class, () -> groups(adamw(groups)).create(SHAPES)).getMessage();
    }

    @Test
    void aGlobThatMatchesNoParameterIsAConfigErrorListingTheParameters() {
        assertEquals("optimizer.groups[1].params[1] = '*.bias': matches no parameter; the parameters are W, b, E",
                error(List.of(Map.of("params", List.of("W")), Map.of("params", List.of("?", "*.bias", "b")))));
        assertEquals("optimizer.groups[0].params[0] = 'w': matches no parameter (did you mean 'W'?); the parameters are W, b, E",
                error(List.of(Map.of("params", List.of("w")))));
    }

    @Test
    void aGroupsOptionsAreCheckedLikeTheOptimizersOwn() {
        assertEquals("optimizer.groups[0].weight-decy: unknown option (did you mean 'weight-decay'?); known options:"
                        + " params, kind, lr, betas, eps, weight-decay, amsgrad",
                error(List.of(Map.of("kind", "vector", "weight-decy", 0.0))));
        assertEquals("optimizer.groups[0].weight-decay = -1: must be in [0, inf)",
                error(List.of(Map.of("kind", "vector", "weight-decay", -1.0))));
        assertEquals("optimizer.groups[0].kind = 'vectors': expected one of vector, matrix (did you mean 'vector'?)",
                error(List.of(Map.of("kind", "vectors"))));
        assertEquals("optimizer.groups[0].betas = [0.9, 0.99, 0.9]: expected 2 numbers [β₁, β₂], got 3",
                error(List.of(Map.of("kind", "vector", "betas", List.of(0.9, 0.99, 0.9)))));
        assertTrue(error(List.of(Map.of("kind", "vector", "groups", List.of()))).startsWith("optimizer.groups[0].groups: unknown option"));
        assertTrue(error(List.of(Map.of("kind", "vector", "name", "sgd"))).startsWith("optimizer.groups[0].name: unknown option"));
    }

    @Test
    void aGroupSaysWhichParametersItHolds() {
        assertEquals("optimizer.groups[0]: say which parameters the group holds: params (name globs) and/or kind (vector or matrix)",
                error(List.of(Map.of("weight-decay", 0.0))));
        assertEquals("optimizer.groups[0].params[0] = 3: expected a parameter-name glob such as '*.bias'",
                error(List.of(Map.of("params", List.of(3)))));
        assertEquals("optimizer.groups[1] = 'bias': expected a map such as {params: ['*.bias'], weight-decay: 0}",
                error(List.of(Map.of("kind", "matrix"), "bias")));
    }
}
