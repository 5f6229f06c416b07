package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;

import java.util.Collections;
import java.util.List;

/** An elementwise function of one float32 tensor; see {@link UnaryFn} for the rows. */
public record Unary(UnaryFn fn) implements Op {
    @Override
    public String onnxName() {
        return fn.onnxName();
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 1);
        Checks.floating(inputs.get(0));
        return inputs.get(0);
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        return Collections.singletonList(fn.vjp(y.input(0), y, g));
    }
}
