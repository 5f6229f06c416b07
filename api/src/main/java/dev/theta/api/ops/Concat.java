package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;

import java.util.ArrayList;
import java.util.List;

/** Joins tensors along a static {@code axis}; the gradient of each input is its slice of g. */
public record Concat(int axis) implements Op {
    @Override
    public String onnxName() {
        return "Concat";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("expects at least one input");
        }
        Shape first = inputs.get(0).shape();
        int a = first.axis(axis);
        int total = 0;
        for (TensorType t : inputs) {
            Checks.sameDType(inputs.get(0), t);
            Shape s = t.shape();
            if (s.rank() != first.rank()) {
                throw new IllegalArgumentException("ranks differ: " + first + " and " + s);
            }
            for (int k = 0; k < s.rank(); k++) {
                if (k != a && s.dim(k) != first.dim(k)) {
                    throw new IllegalArgumentException("shapes " + first + " and " + s + " differ outside axis " + a);
                }
            }
            if (Shape.isSymbolic(s.dim(a))) {
                throw new IllegalArgumentException("cannot concatenate along the batch axis");
            }
            total += s.dim(a);
        }
        int[] out = first.dims();
        out[a] = total;
        return inputs.get(0).withShape(Shape.of(out));
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        int a = y.type().shape().axis(axis);
        List<Value> grads = new ArrayList<>();
        int start = 0;
        for (Value in : y.inputs()) {
            int len = in.type().shape().dim(a);
            grads.add(in.type().dtype().isFloating() ? g.slice(a, start, start + len) : null);
            start += len;
        }
        return grads;
    }
}
