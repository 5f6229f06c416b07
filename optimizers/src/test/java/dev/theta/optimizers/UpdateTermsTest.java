package dev.theta.optimizers;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.testing.GraphHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

/**
 * Adam's bias correction 1 − βᵗ in float32 graph ops against double, across β and far-apart steps; moving averages
 * flushed to zero below float's normal range, every other value kept to the bit.
 */
class UpdateTermsTest {
    @ParameterizedTest(name = "β = {0}")
    @ValueSource(doubles = {0, 0.5, 0.9, 0.999, 0.99999})
    void oneMinusPowerKeepsFloatPrecision(double beta) {
        Graph g = new Graph();
        Value t = g.input("t", Role.HYPER, DType.FLOAT32, Shape.SCALAR);
        g.output("c", UpdateTerms.oneMinusPower(beta, t));
        try (Executable e = GraphHarness.compile(GraphHarness.backend("cpu"), g, 1, Map.of())) {
            for (float step : new float[] {1, 2, 3, 10, 50, 1000, 123_456, 1e7f}) {
                e.input("t").floats()[0] = step;
                e.run();
                double expected = 1 - Math.pow(beta, step);
                GraphHarness.assertClose(new double[] {expected}, GraphHarness.output(e, "c"), 1e-6, 0, "1 − " + beta + "^" + step);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void movingAveragesFlushSubnormalsToZeroAndKeepEverythingElse() {
        Graph g = new Graph();
        Value avg = g.input("avg", Role.DATA, DType.FLOAT32, Shape.of(10));
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(10));
        g.output("a", UpdateTerms.movingAverage(avg, x, 0.9));
        float tiny = Float.MIN_NORMAL;
        float[] avgs = {1.5f, -2e-30f, tiny / 0.5f, tiny, -tiny, 1e-45f, Float.NaN, Float.POSITIVE_INFINITY, 0f, -0f};
        try (Executable e = GraphHarness.compile(GraphHarness.backend("cpu"), g, 1, Map.of())) {
            System.arraycopy(avgs, 0, e.input("avg").floats(), 0, 10);
            java.util.Arrays.fill(e.input("x").floats(), 0f);
            e.run();
            float[] a = e.output("a").floats();
            for (int i = 0; i < 10; i++) {
                float exact = avgs[i] * 0.9f + 0f * (float) (1 - 0.9);
                float want = Math.abs(exact) > Float.MIN_NORMAL || Float.isNaN(exact) ? exact : 0f;
                org.junit.jupiter.api.Assertions.assertEquals(want, a[i], 0f, "moving average of " + avgs[i]);
                org.junit.jupiter.api.Assertions.assertFalse(a[i] != 0 && Math.abs(a[i]) < Float.MIN_NORMAL,
                        "no subnormal: " + a[i]);
            }
            org.junit.jupiter.api.Assertions.assertEquals(1.5f * 0.9f, a[0], 0f, "a normal value, to the bit");
            org.junit.jupiter.api.Assertions.assertEquals(-2e-30f * 0.9f, a[1], 0f, "a small normal value, to the bit");
            org.junit.jupiter.api.Assertions.assertEquals(0f, a[3], 0f, "0.9 · 2⁻¹²⁶ is subnormal: flushed");
            org.junit.jupiter.api.Assertions.assertTrue(Float.isNaN(a[6]), "NaN stays NaN");
            org.junit.jupiter.api.Assertions.assertEquals(Float.POSITIVE_INFINITY, a[7], "∞ stays ∞");
        }
    }
}
