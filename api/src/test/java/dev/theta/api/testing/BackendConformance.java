package dev.theta.api.testing;

import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The conformance suite every backend runs: extend it in the backend's tests and implement {@link #backend()}.
 *
 * <p>For every case of {@link PrimitiveCases}, the forward graph and the gradient graph are compiled for the
 * case's batch size, fed the case's inputs in place, run, and every output is compared with the
 * {@link ReferenceInterpreter}: float32 outputs within {@code |a - ref| <= tolerance() * max(1, |ref|)}, int64 and
 * bool outputs exactly, shapes and types exactly. A second run must give bit-identical outputs. A small training
 * loop checks that carried outputs ({@link Graph#carry}) replace their inputs after each run.
 */
public abstract class BackendConformance {
    /** The backend under test; called once per test, so it may return a fresh instance. */
    protected abstract Backend backend();

    /** Relative tolerance (absolute below 1) of float32 outputs against the double reference. */
    protected double tolerance() {
        return 1e-4;
    }

    @TestFactory
    public Stream<DynamicTest> forwardMatchesReference() {
        Backend backend = backend();
        return CaseTests.forEach(c -> true, c -> checkAgainstReference(backend, c.forwardGraph(), c.batch(), c.inputs()));
    }

    @TestFactory
    public Stream<DynamicTest> gradientMatchesReference() {
        Backend backend = backend();
        return CaseTests.forEach(PrimitiveCase::hasGradient,
                c -> checkAgainstReference(backend, c.gradientGraph(), c.batch(), c.gradientInputs()));
    }

    @TestFactory
    public Stream<DynamicTest> runsAreDeterministic() {
        Backend backend = backend();
        return CaseTests.forEach(c -> true, c -> {
            boolean gradient = c.hasGradient();
            Graph g = gradient ? c.gradientGraph() : c.forwardGraph();
            try (Executable exe = backend.compile(g, c.batch())) {
                feed(exe, g, gradient ? c.gradientInputs() : c.inputs());
                exe.run();
                Map<String, Tensor> first = new LinkedHashMap<>();
                g.outputs().keySet().forEach(name -> first.put(name, exe.output(name).copy()));
                exe.run();
                for (String name : g.outputs().keySet()) {
                    assertBitIdentical(first.get(name), exe.output(name), "output " + name + ", second run");
                }
            }
        });
    }

    /** Three steps of gradient descent on a least-squares problem, with the parameter carried between steps. */
    @Test
    public void carriedOutputsReplaceTheirInputs() {
        int batch = 4;
        Graph g = new Graph();
        Value p = g.input("p", Role.PARAMETER, Tensor.of(Shape.of(3), 0.5f, -0.25f, 1f));
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 3));
        Value t = g.input("t", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH));
        Value lr = g.input("lr", Role.HYPER, DType.FLOAT32, Shape.SCALAR);
        Value residual = x.mul(p).sum(1).sub(t);
        Value loss = residual.mul(residual).mean();
        Value next = p.sub(lr.mul(Autodiff.gradients(loss, List.of(p)).get(p)));
        g.output("loss", loss);
        g.output("next/p", next);
        g.carry("next/p", "p");

        Map<String, double[]> inputs = new LinkedHashMap<>();
        inputs.put("p", new double[] {0.5, -0.25, 1});
        inputs.put("x", new double[] {1, 2, 0.5, -1, 0.25, 2, 0.75, -0.5, 1, 2, 1, -1.5});
        inputs.put("t", new double[] {1, -2, 0.5, 3});
        inputs.put("lr", new double[] {0.1});
        try (Executable exe = backend().compile(g, batch)) {
            feed(exe, g, inputs);
            for (int step = 0; step < 3; step++) {
                inputs.put("p", ReferenceInterpreter.toDoubles(exe.input("p")));
                Map<String, double[]> expected = ReferenceInterpreter.run(g, batch, inputs);
                exe.run();
                String where = "step " + step;
                assertClose(expected.get("loss"), exe.output("loss"), where + ", loss");
                assertClose(expected.get("next/p"), exe.output("next/p"), where + ", next/p");
                assertBitIdentical(exe.output("next/p"), exe.input("p"), where + ": input p after run must be output next/p");
            }
        }
    }

    private void checkAgainstReference(Backend backend, Graph g, int batch, Map<String, double[]> inputs) {
        Map<String, double[]> expected = ReferenceInterpreter.run(g, batch, inputs);
        try (Executable exe = backend.compile(g, batch)) {
            feed(exe, g, inputs);
            exe.run();
            for (Map.Entry<String, double[]> e : expected.entrySet()) {
                Value v = g.outputs().get(e.getKey());
                Tensor actual = exe.output(e.getKey());
                String where = "output " + e.getKey();
                assertEquals(v.type().dtype(), actual.dtype(), where + ": element type");
                assertEquals(v.shape().resolve(batch), actual.shape(), where + ": shape");
                assertClose(e.getValue(), actual, where);
            }
        }
    }

    private static void feed(Executable exe, Graph g, Map<String, double[]> inputs) {
        for (String name : g.inputs().keySet()) {
            double[] values = inputs.get(name);
            if (values == null) {
                fail("test has no value for input " + name);
            }
            ReferenceInterpreter.copyInto(values, exe.input(name));
        }
    }

    private void assertClose(double[] expected, Tensor actual, String where) {
        assertEquals(expected.length, actual.size(), where + ": element count");
        for (int i = 0; i < expected.length; i++) {
            double ref = expected[i];
            double got = actual.get(i);
            boolean ok = actual.dtype() == DType.FLOAT32
                    ? Math.abs(got - ref) <= tolerance() * Math.max(1, Math.abs(ref))
                    : got == ref;
            if (!ok) {
                fail(where + ", element " + i + ": expected " + ref + " but was " + got + " (" + actual + ")");
            }
        }
    }

    private static void assertBitIdentical(Tensor expected, Tensor actual, String where) {
        if (expected.dtype() == DType.INT64) {
            assertArrayEquals(expected.longs(), actual.longs(), where);
        } else {
            assertArrayEquals(expected.floats(), actual.floats(), 0f, where);
        }
    }
}
