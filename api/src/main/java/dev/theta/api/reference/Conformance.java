package dev.theta.api.reference;

import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conformance checks every backend passes, usable from tests and from {@code theta check}.
 *
 * <p>For every case of {@link PrimitiveCases}, the forward graph and the gradient graph are compiled for the
 * case's batch size, fed the case's inputs in place, run, and every output is compared with the
 * {@link ReferenceInterpreter}: float32 outputs within {@code |a - ref| <= tolerance * max(1, |ref|)}, int64 and
 * bool outputs exactly, shapes and types exactly. A second run must give bit-identical outputs. A small training
 * loop checks that carried outputs ({@link Graph#carry}) replace their inputs after each run. A check that fails
 * throws {@link Mismatch} saying where.
 */
public final class Conformance {
    /** Relative tolerance (absolute below 1) of float32 outputs that the built-in backends meet. */
    public static final double TOLERANCE = 1e-4;

    /** A backend's result differs from the reference. */
    public static final class Mismatch extends RuntimeException {
        public Mismatch(String message) {
            super(message);
        }
    }

    private final Backend backend;
    private final double tolerance;

    public Conformance(Backend backend, double tolerance) {
        this.backend = backend;
        this.tolerance = tolerance;
    }

    /** The forward graph of {@code c} matches the reference. */
    public void forward(PrimitiveCase c) {
        againstReference(c.forwardGraph(), c.batch(), c.inputs());
    }

    /** The gradient graph of {@code c} matches the reference (cases without a float input have nothing to check). */
    public void gradient(PrimitiveCase c) {
        if (c.hasGradient()) {
            againstReference(c.gradientGraph(), c.batch(), c.gradientInputs());
        }
    }

    /** Two runs of the same compiled graph give bit-identical outputs. */
    public void deterministic(PrimitiveCase c) {
        boolean gradient = c.hasGradient();
        Graph g = gradient ? c.gradientGraph() : c.forwardGraph();
        try (Executable exe = backend.compile(g, c.batch())) {
            feed(exe, g, gradient ? c.gradientInputs() : c.inputs());
            exe.run();
            Map<String, Tensor> first = new LinkedHashMap<>();
            g.outputs().keySet().forEach(name -> first.put(name, exe.output(name).copy()));
            exe.run();
            for (String name : g.outputs().keySet()) {
                bitIdentical(first.get(name), exe.output(name), "output " + name + ", second run");
            }
        }
    }

    /**
     * Gradient descent on a least-squares problem, with the parameter carried between steps: three steps reading the
     * parameter after each; three steps nobody reads in between (a backend may keep carried values where it computes
     * them); then a parameter written through {@link Executable#input} (a checkpoint loaded) and new data written into
     * the data tensor fetched before the first run (refilled in place, as the contract allows).
     */
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
        try (Executable exe = backend.compile(g, batch)) {
            feed(exe, g, inputs);
            Tensor data = exe.input("x");
            for (int step = 0; step < 3; step++) {
                inputs.put("p", ReferenceInterpreter.toDoubles(exe.input("p")));
                Map<String, double[]> expected = ReferenceInterpreter.run(g, batch, inputs);
                exe.run();
                String where = "step " + step;
                close(expected.get("loss"), exe.output("loss"), where + ", loss");
                close(expected.get("next/p"), exe.output("next/p"), where + ", next/p");
                bitIdentical(exe.output("next/p"), exe.input("p"), where + ": input p after run must be output next/p");
            }
            Map<String, double[]> expected = inputs;
            inputs.put("p", ReferenceInterpreter.toDoubles(exe.input("p")));
            for (int step = 3; step < 6; step++) {
                expected = ReferenceInterpreter.run(g, batch, inputs);
                inputs.put("p", expected.get("next/p"));
                exe.run();
                close(expected.get("loss"), exe.output("loss"), "step " + step + " (p not read since step 2), loss");
            }
            close(expected.get("next/p"), exe.input("p"), "input p after steps 3-5 that nobody read");

            inputs.put("p", new double[] {-1, 2, 0.25});
            ReferenceInterpreter.copyInto(inputs.get("p"), exe.input("p"));
            inputs.put("x", Arrays.stream(inputs.get("x")).map(v -> 1 - v).toArray());
            ReferenceInterpreter.copyInto(inputs.get("x"), data);
            expected = ReferenceInterpreter.run(g, batch, inputs);
            exe.run();
            close(expected.get("loss"), exe.output("loss"), "step 6, after writing p and refilling x in place: loss");
            close(expected.get("next/p"), exe.input("p"), "step 6, after writing p and refilling x in place: p");
        }
    }

    private void againstReference(Graph g, int batch, Map<String, double[]> inputs) {
        Map<String, double[]> expected = ReferenceInterpreter.run(g, batch, inputs);
        try (Executable exe = backend.compile(g, batch)) {
            feed(exe, g, inputs);
            exe.run();
            for (Map.Entry<String, double[]> e : expected.entrySet()) {
                Value v = g.outputs().get(e.getKey());
                Tensor actual = exe.output(e.getKey());
                String where = "output " + e.getKey();
                require(v.type().dtype() == actual.dtype(), where + ": element type " + actual.dtype() + ", expected " + v.type().dtype());
                Shape shape = v.shape().resolve(batch);
                require(shape.equals(actual.shape()), where + ": shape " + actual.shape() + ", expected " + shape);
                close(e.getValue(), actual, where);
            }
        }
    }

    private static void feed(Executable exe, Graph g, Map<String, double[]> inputs) {
        for (String name : g.inputs().keySet()) {
            double[] values = inputs.get(name);
            require(values != null, "no value for input " + name);
            ReferenceInterpreter.copyInto(values, exe.input(name));
        }
    }

    private void close(double[] expected, Tensor actual, String where) {
        require(expected.length == actual.size(), where + ": " + actual.size() + " elements, expected " + expected.length);
        for (int i = 0; i < expected.length; i++) {
            double ref = expected[i];
            double got = actual.get(i);
            boolean ok = actual.dtype() == DType.FLOAT32
                    ? Math.abs(got - ref) <= tolerance * Math.max(1, Math.abs(ref))
                    : got == ref;
            require(ok, where + ", element " + i + ": expected " + ref + " but was " + got + " (" + actual + ")");
        }
    }

    private static void bitIdentical(Tensor expected, Tensor actual, String where) {
        boolean same = expected.dtype() == DType.INT64
                ? Arrays.equals(expected.longs(), actual.longs())
                : Arrays.equals(expected.floats(), actual.floats());
        require(same, where + ": not bit-identical: " + expected + " vs " + actual);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new Mismatch(message);
        }
    }
}
