package dev.theta.api.ops;

import dev.theta.api.testing.CaseTests;
import dev.theta.api.reference.PrimitiveCase;
import dev.theta.api.reference.ReferenceInterpreter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * For every case with a float32 input: the gradient graph that {@code Autodiff} builds, evaluated by the reference
 * interpreter, agrees with central finite differences of the reference forward pass.
 */
class PrimitiveGradientTest {
    private static final double EPS = 1e-6;
    /** Relative tolerance, absolute below 1. Central differences in double are good to about 1e-9 here. */
    private static final double TOLERANCE = 1e-6;

    @TestFactory
    Stream<DynamicTest> gradientsMatchFiniteDifferences() {
        return CaseTests.forEach(PrimitiveCase::hasGradient, PrimitiveGradientTest::check);
    }

    private static void check(PrimitiveCase c) {
        Map<String, double[]> inputs = c.inputs();
        Map<String, double[]> analytic = ReferenceInterpreter.run(c.gradientGraph(), c.batch(), c.gradientInputs());
        assertEquals(loss(c, inputs), analytic.get(PrimitiveCase.LOSS)[0], 1e-12 * Math.max(1, Math.abs(loss(c, inputs))),
                "loss of the gradient graph");
        for (String name : c.differentiableInputs()) {
            double[] grad = analytic.get(PrimitiveCase.gradient(name));
            double[] x = inputs.get(name);
            assertEquals(x.length, grad.length, "gradient size of " + name);
            for (int i = 0; i < x.length; i++) {
                assertTrue(Double.isFinite(grad[i]), "gradient of " + name + "[" + i + "] is " + grad[i]);
                if (!c.smooth()) {
                    continue;
                }
                double saved = x[i];
                x[i] = saved + EPS;
                double up = loss(c, inputs);
                x[i] = saved - EPS;
                double down = loss(c, inputs);
                x[i] = saved;
                double numeric = (up - down) / (2 * EPS);
                if (Math.abs(numeric - grad[i]) > TOLERANCE * Math.max(1, Math.abs(numeric))) {
                    fail("d loss / d " + name + "[" + i + "]: autodiff " + grad[i] + ", finite differences " + numeric);
                }
            }
        }
    }

    /** sum(y * dy) from the forward graph alone. */
    private static double loss(PrimitiveCase c, Map<String, double[]> inputs) {
        double[] y = ReferenceInterpreter.run(c.forwardGraph(), c.batch(), inputs).get(PrimitiveCase.OUTPUT);
        double[] w = c.weights();
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += y[i] * w[i];
        }
        return sum;
    }
}
