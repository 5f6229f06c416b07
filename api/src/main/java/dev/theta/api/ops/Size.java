package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.Arrays;
import java.util.List;

/** The number of elements of the input, as an int64 scalar (known only at run time when the batch is symbolic). */
public record Size() implements Op {
    @Override
    public String onnxName() {
        return "Size";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 1);
        return new TensorType(DType.INT64, Shape.SCALAR);
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        return Arrays.asList((Value) null);
    }
}
