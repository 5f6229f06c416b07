package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;

import java.util.ArrayList;
import java.util.List;

/** Elements {@code [start, end)} along a static {@code axis}; the gradient pads g with zeros back to x's shape. */
public record Slice(int axis, int start, int end) implements Op {
    @Override
    public String onnxName() {
        return "Slice";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 1);
        Shape in = inputs.get(0).shape();
        int a = in.axis(axis);
        int n = in.dim(a);
        if (Shape.isSymbolic(n)) {
            throw new IllegalArgumentException("cannot slice the batch axis");
        }
        if (start < 0 || end > n || start >= end) {
            throw new IllegalArgumentException("slice [" + start + ", " + end + ") out of range for axis of size " + n);
        }
        int[] out = in.dims();
        out[a] = end - start;
        return inputs.get(0).withShape(Shape.of(out));
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        Shape xs = y.input(0).type().shape();
        int a = xs.axis(axis);
        List<Value> parts = new ArrayList<>();
        if (start > 0) {
            parts.add(zeros(g, xs, a, start));
        }
        parts.add(g);
        if (end < xs.dim(a)) {
            parts.add(zeros(g, xs, a, xs.dim(a) - end));
        }
        return List.of(parts.size() == 1 ? g : parts.get(0).concat(a, parts.subList(1, parts.size())));
    }

    private static Value zeros(Value like, Shape xs, int axis, int len) {
        int[] dims = xs.dims();
        dims[axis] = len;
        return like.zero().expand(Shape.of(dims));
    }
}
