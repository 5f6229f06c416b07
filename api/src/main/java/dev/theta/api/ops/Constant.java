package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Tensor;

import java.util.List;

/** A constant tensor baked into the graph. */
public record Constant(Tensor value) implements Op {
    @Override
    public String onnxName() {
        return "Constant";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 0);
        return new TensorType(value.dtype(), value.shape());
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        return List.of();
    }
}
