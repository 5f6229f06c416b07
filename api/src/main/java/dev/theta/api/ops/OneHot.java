package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.Arrays;
import java.util.List;

/** float32 one-hot encoding of int64 indices along a new last axis of size {@code depth}. */
public record OneHot(int depth) implements Op {
    public OneHot {
        if (depth <= 0) {
            throw new IllegalArgumentException("depth must be positive: " + depth);
        }
    }

    @Override
    public String onnxName() {
        return "OneHot";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 1);
        Checks.dtype(inputs.get(0), DType.INT64);
        int[] in = inputs.get(0).shape().dims();
        int[] out = Arrays.copyOf(in, in.length + 1);
        out[in.length] = depth;
        return new TensorType(DType.FLOAT32, Shape.of(out));
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        return Arrays.asList((Value) null);
    }
}
