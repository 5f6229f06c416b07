package dev.theta.api.reference;

import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.ops.Op;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One test case of one primitive: a small graph around the primitive (built fresh on every call, so backends may
 * keep what they compile), inputs drawn from the primitive's domain, and random weights {@code dy} that turn the
 * output into the scalar {@code loss = sum(y * dy)} whose gradient the gradient graph computes.
 *
 * <p>All inputs are declared with {@link Role#DATA} and must be fed; every drawn value is exactly representable in
 * float32, so a float32 backend and the double reference see the same inputs.
 */
public final class PrimitiveCase {
    /** Output of both graphs: the primitive's result. */
    public static final String OUTPUT = "y";
    /** Input of the gradient graph: weights of the output in the loss. */
    public static final String WEIGHTS = "dy";
    /** Output of the gradient graph: sum(y * dy), with y cast to float32 when it is int64 or bool. */
    public static final String LOSS = "loss";

    /** Output of the gradient graph holding dLoss/d{@code input}. */
    public static String gradient(String input) {
        return "grad/" + input;
    }

    /** Draws one input element. */
    @FunctionalInterface
    public interface Domain {
        double draw(Random random);
    }

    /** Builds the primitive's result from the declared inputs (in declaration order). */
    @FunctionalInterface
    public interface Body {
        Value build(Graph graph, List<Value> inputs);
    }

    /** A graph input of the case and the domain its values come from. */
    public record InputSpec(String name, DType dtype, Shape shape, Domain domain) {
    }

    private final String name;
    private final Class<? extends Op> op;
    private final Enum<?> row;
    private final int batch;
    private final List<InputSpec> specs;
    private final Body body;
    private final boolean smooth;
    private final Map<String, double[]> inputs = new LinkedHashMap<>();
    private final double[] weights;

    PrimitiveCase(String name, Class<? extends Op> op, Enum<?> row, int batch, List<InputSpec> specs, Body body,
                  boolean smooth, Random random) {
        this.name = name;
        this.op = op;
        this.row = row;
        this.batch = batch;
        this.specs = List.copyOf(specs);
        this.body = body;
        this.smooth = smooth;
        for (InputSpec s : specs) {
            double[] values = new double[s.shape().size(batch)];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) s.domain().draw(random);
            }
            inputs.put(s.name(), values);
        }
        Value y = build(new Graph());
        weights = new double[y.shape().size(batch)];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (random.nextDouble() * 2 - 1);
        }
    }

    private Value build(Graph g) {
        List<Value> declared = new ArrayList<>();
        for (InputSpec s : specs) {
            declared.add(g.input(s.name(), Role.DATA, s.dtype(), s.shape()));
        }
        return body.build(g, declared);
    }

    /** The graph computing the primitive, with output {@value #OUTPUT}. */
    public Graph forwardGraph() {
        Graph g = new Graph();
        g.output(OUTPUT, build(g));
        return g;
    }

    /**
     * The graph with outputs {@value #OUTPUT}, {@value #LOSS} and {@link #gradient(String)} for each float32 input,
     * as {@link Autodiff#gradients} builds them; it reads the extra input {@value #WEIGHTS}.
     */
    public Graph gradientGraph() {
        Graph g = new Graph();
        Value y = build(g);
        g.output(OUTPUT, y);
        Value dy = g.input(WEIGHTS, Role.DATA, DType.FLOAT32, y.shape());
        Value weighted = y.cast(DType.FLOAT32).mul(dy);
        Value loss = y.shape().rank() == 0 ? weighted : weighted.sum();
        g.output(LOSS, loss);
        List<Value> wrt = differentiableInputs().stream().map(n -> g.inputs().get(n)).toList();
        Autodiff.gradients(loss, wrt).forEach((x, grad) -> g.output(gradient(((dev.theta.api.ops.Input) x.op()).name()), grad));
        return g;
    }

    /** Fresh copies of the input values of the forward graph. */
    public Map<String, double[]> inputs() {
        Map<String, double[]> copy = new LinkedHashMap<>();
        inputs.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** Fresh copies of the input values of the gradient graph (the forward inputs and the weights). */
    public Map<String, double[]> gradientInputs() {
        Map<String, double[]> all = inputs();
        all.put(WEIGHTS, weights.clone());
        return all;
    }

    public double[] weights() {
        return weights.clone();
    }

    /** Names of the float32 inputs, in declaration order. */
    public List<String> differentiableInputs() {
        return specs.stream().filter(s -> s.dtype() == DType.FLOAT32).map(InputSpec::name).toList();
    }

    /** Whether the gradient graph has anything to check. */
    public boolean hasGradient() {
        return !differentiableInputs().isEmpty();
    }

    /**
     * False where inputs sit on a kink or a jump on purpose (ties of Max, Equal), so finite differences are not
     * valid there; backends are still compared with the reference on such cases.
     */
    public boolean smooth() {
        return smooth;
    }

    public String name() {
        return name;
    }

    /** The primitive under test. */
    public Class<? extends Op> op() {
        return op;
    }

    /** The row (UnaryFn, BinaryFn, CompareFn or ReduceFn constant) under test, or null. */
    public Enum<?> row() {
        return row;
    }

    public int batch() {
        return batch;
    }

    public List<InputSpec> inputSpecs() {
        return specs;
    }

    @Override
    public String toString() {
        return name;
    }
}
