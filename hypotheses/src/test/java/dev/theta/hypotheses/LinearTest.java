package dev.theta.hypotheses;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.testing.GraphHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinearTest {
    private static final int IN = 6;

    private static Graph build(Map<String, Object> options, int scores) {
        Linear provider = new Linear();
        Hypothesis h = provider.create(provider.options().validate(options, "hypothesis", List.of()),
                DataSpec.classification(Shape.of(IN), Math.max(2, scores), List.of()), scores);
        Graph g = new Graph();
        Random random = new Random(1);
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, IN));
        g.output("scores", h.scores((name, shape, fanIn, fanOut, init) -> {
            Tensor t = Tensor.zeros(DType.FLOAT32, shape);
            init.fill(t.floats(), shape, fanIn, fanOut, random);
            return g.input("param/" + name, Role.PARAMETER, t);
        }, x));
        return g;
    }

    @Test
    void scoresAreXWPlusB() {
        Graph g = build(Map.of(), 3);
        int n = 5;
        float[] x = new float[n * IN];
        Random r = new Random(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] w = g.initialValues().get("param/W").floats();
        float[] b = g.initialValues().get("param/b").floats();
        double[] expected = new double[n * 3];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                double s = b[j];
                for (int k = 0; k < IN; k++) {
                    s += (double) x[i * IN + k] * w[k * 3 + j];
                }
                expected[i * 3 + j] = s;
            }
        }
        try (Executable e = GraphHarness.compile(GraphHarness.backend("cpu"), g, n, Map.of("x", Tensor.of(Shape.of(n, IN), x)))) {
            e.run();
            GraphHarness.assertClose(expected, GraphHarness.output(e, "scores"), 1e-5, 1e-6, "scores");
        }
    }

    @Test
    void oneScoreHasShapeN() {
        Graph g = build(Map.of("bias", false), 1);
        assertEquals(Shape.of(Shape.BATCH), g.outputs().get("scores").shape());
        assertEquals(List.of("param/W"), List.copyOf(g.initialValues().keySet()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pytorch, 0.4082483", "xavier, 0.8660254", "zeros, 0"})
    void initialisersStayInTheirBounds(String init, double bound) {
        Graph g = build(Map.of("init", init), 2);
        float[] w = g.initialValues().get("param/W").floats();
        double max = 0;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= bound, init + " max |w| = " + max);
        if (bound > 0) {
            assertTrue(max > bound / 2, init + " draws use the range: max |w| = " + max);
        }
    }
}
