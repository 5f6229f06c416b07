package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;

import java.util.List;

/** Same elements, new shape; the element counts (as multiples of the batch size) must agree. */
public record Reshape(Shape target) implements Op {
    @Override
    public String onnxName() {
        return "Reshape";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 1);
        Shape in = inputs.get(0).shape();
        boolean same = in.symbolicDims() == target.symbolicDims() && in.symbolicDims() <= 1
                ? in.elementCountDim() == target.elementCountDim()
                : in.symbolicDims() > 1 && in.equals(target);
        if (!same) {
            throw new IllegalArgumentException("cannot reshape " + in + " to " + target);
        }
        return inputs.get(0).withShape(target);
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        return List.of(g.reshape(y.input(0).type().shape()));
    }
}
