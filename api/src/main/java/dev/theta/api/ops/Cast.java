package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;

import java.util.Arrays;
import java.util.List;

/** Converts elements to {@code to}; float to int64 truncates toward zero, bool is 0/1. */
public record Cast(DType to) implements Op {
    @Override
    public String onnxName() {
        return "Cast";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 1);
        return inputs.get(0).withDType(to);
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        Value x = y.input(0);
        boolean floatToFloat = x.type().dtype().isFloating() && to.isFloating();
        return Arrays.asList(floatToFloat ? g : null);
    }
}
