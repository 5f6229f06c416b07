package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;

import java.util.Arrays;
import java.util.List;

/**
 * ONNX EyeLike: a float32 matrix of the input's (rank-2) shape with ones on the diagonal and zeros elsewhere. It makes
 * the identity of a symbolic size, such as the N×N matching of a batch of image-text pairs; its value depends only on
 * the shape, so no gradient flows.
 */
public record EyeLike() implements Op {
    @Override
    public String onnxName() {
        return "EyeLike";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 1);
        if (inputs.get(0).shape().rank() != 2) {
            throw new IllegalArgumentException("expects a rank-2 input, got " + inputs.get(0));
        }
        return inputs.get(0).withDType(DType.FLOAT32);
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        return Arrays.asList((Value) null);
    }
}
