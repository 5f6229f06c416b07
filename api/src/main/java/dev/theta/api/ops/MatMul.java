package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;

import java.util.List;

/** Matrix product of two rank-2 float32 tensors: [m, k] x [k, n] -> [m, n]. */
public record MatMul() implements Op {
    @Override
    public String onnxName() {
        return "MatMul";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 2);
        TensorType a = inputs.get(0);
        TensorType b = inputs.get(1);
        Checks.floating(a);
        Checks.floating(b);
        if (a.shape().rank() != 2 || b.shape().rank() != 2) {
            throw new IllegalArgumentException("expects rank-2 inputs");
        }
        if (a.shape().dim(1) != b.shape().dim(0)) {
            throw new IllegalArgumentException("inner dimensions differ: " + a.shape() + " x " + b.shape());
        }
        return a.withShape(Shape.of(a.shape().dim(0), b.shape().dim(1)));
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        Value a = y.input(0);
        Value b = y.input(1);
        return List.of(g.matmul(b.transpose(1, 0)), a.transpose(1, 0).matmul(g));
    }
}
