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

/** Adam's bias correction 1 − βᵗ in float32 graph ops against double, across β and far-apart steps. */
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
}
