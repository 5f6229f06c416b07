package dev.theta.api.graph;

import dev.theta.api.ops.Constant;
import dev.theta.api.ops.Input;
import dev.theta.api.ops.Op;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataflow graph of primitive ops. Values are appended in dependency order, so the node list is always a valid
 * schedule. Named outputs are what a backend computes; a carry maps an output to the input it replaces after each
 * run (new parameters become the parameters of the next step).
 */
public final class Graph {
    private final List<Value> nodes = new ArrayList<>();
    private final Map<String, Value> inputs = new LinkedHashMap<>();
    private final Map<String, Value> outputs = new LinkedHashMap<>();
    private final Map<String, String> carries = new LinkedHashMap<>();
    private final Map<String, Tensor> initialValues = new LinkedHashMap<>();

    /** Declares a named input. */
    public Value input(String name, Role role, DType dtype, Shape shape) {
        if (inputs.containsKey(name)) {
            throw new IllegalArgumentException("duplicate graph input '" + name + "'");
        }
        Value v = add(new Input(name, role, new TensorType(dtype, shape)), List.of());
        inputs.put(name, v);
        return v;
    }

    /** Declares a float32 input together with the value it starts from (parameters, optimizer state). */
    public Value input(String name, Role role, Tensor initial) {
        Value v = input(name, role, initial.dtype(), initial.shape());
        initialValues.put(name, initial);
        return v;
    }

    public Value constant(Tensor value) {
        return add(new Constant(value), List.of());
    }

    public Value scalar(float value) {
        return constant(Tensor.scalar(value));
    }

    /** Appends {@code op} applied to {@code args}, checking arity and inferring the result type. */
    public Value apply(Op op, Value... args) {
        return add(op, List.of(args));
    }

    private Value add(Op op, List<Value> args) {
        for (Value a : args) {
            if (a.graph() != this) {
                throw new IllegalArgumentException("value " + a + " belongs to another graph");
            }
        }
        List<TensorType> types = args.stream().map(Value::type).toList();
        TensorType type;
        try {
            type = op.infer(types);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op.onnxName() + types + ": " + e.getMessage(), e);
        }
        Value v = new Value(this, nodes.size(), op, args, type);
        nodes.add(v);
        return v;
    }

    public void output(String name, Value value) {
        if (value.graph() != this) {
            throw new IllegalArgumentException("output '" + name + "' belongs to another graph");
        }
        if (outputs.putIfAbsent(name, value) != null) {
            throw new IllegalArgumentException("duplicate graph output '" + name + "'");
        }
    }

    /** After each run, output {@code outputName} becomes input {@code inputName} of the next run. */
    public void carry(String outputName, String inputName) {
        Value out = outputs.get(outputName);
        Value in = inputs.get(inputName);
        if (out == null || in == null) {
            throw new IllegalArgumentException("carry " + outputName + " -> " + inputName + ": unknown name");
        }
        if (!out.type().equals(in.type())) {
            throw new IllegalArgumentException("carry " + outputName + " -> " + inputName + ": " + out.type() + " vs " + in.type());
        }
        carries.put(outputName, inputName);
    }

    public List<Value> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public Map<String, Value> inputs() {
        return Collections.unmodifiableMap(inputs);
    }

    public Map<String, Value> outputs() {
        return Collections.unmodifiableMap(outputs);
    }

    public Map<String, String> carries() {
        return Collections.unmodifiableMap(carries);
    }

    /** Starting values of the inputs declared with one (parameters and optimizer state). */
    public Map<String, Tensor> initialValues() {
        return Collections.unmodifiableMap(initialValues);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Value v : nodes) {
            sb.append(v.describe()).append('\n');
        }
        outputs.forEach((k, v) -> sb.append("output ").append(k).append(" = %").append(v.id()).append('\n'));
        return sb.toString();
    }
}
