package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.Arrays;
import java.util.List;

/** A broadcasting comparison giving a bool tensor; piecewise constant, so no gradient flows through it. */
public record Compare(CompareFn fn) implements Op {
    @Override
    public String onnxName() {
        return fn.onnxName();
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 2);
        Checks.sameDType(inputs.get(0), inputs.get(1));
        return new TensorType(DType.BOOL, Shape.broadcast(inputs.get(0).shape(), inputs.get(1).shape()));
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        return Arrays.asList(null, null);
    }
}
