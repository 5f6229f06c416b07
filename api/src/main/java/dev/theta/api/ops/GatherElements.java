package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.Arrays;
import java.util.List;

/**
 * ONNX GatherElements: out[.., j, ..] = data[.., indices[.., j, ..], ..] along {@code axis}. Indices have data's rank
 * and the same size on every other axis (picking the target class's score is the typical use).
 */
public record GatherElements(int axis) implements Op {
    @Override
    public String onnxName() {
        return "GatherElements";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 2);
        Checks.dtype(inputs.get(1), DType.INT64);
        Shape d = inputs.get(0).shape();
        Shape i = inputs.get(1).shape();
        int a = d.axis(axis);
        if (d.rank() != i.rank()) {
            throw new IllegalArgumentException("indices rank " + i.rank() + " differs from data rank " + d.rank());
        }
        for (int k = 0; k < d.rank(); k++) {
            if (k != a && d.dim(k) != i.dim(k)) {
                throw new IllegalArgumentException("indices " + i + " differ from data " + d + " outside axis " + a);
            }
        }
        return inputs.get(0).withShape(i);
    }

    /** Scatter-add: sum over the picks j of onehot(indices)[.., j, .., k] · g[.., j, ..], moved to {@code axis}. */
    @Override
    public List<Value> vjp(Value y, Value g) {
        Value data = y.input(0);
        Value indices = y.input(1);
        Shape ds = data.type().shape();
        int a = ds.axis(axis);
        int rank = ds.rank();
        int[] gExpanded = Arrays.copyOf(g.type().shape().dims(), rank + 1);
        gExpanded[rank] = 1;
        Value summed = indices.oneHot(ds.dim(a)).mul(g.reshape(Shape.of(gExpanded))).sum(a);
        int[] perm = new int[rank];
        for (int k = 0, src = 0; k < rank; k++) {
            perm[k] = k == a ? rank - 1 : src++;
        }
        return Arrays.asList(summed.transpose(perm), null);
    }
}
