package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.Arrays;
import java.util.List;

/**
 * ONNX's {@code ScatterElements} with {@code reduction = "add"}: out = data, then for every position p of
 * {@code indices}, out[p with its {@code axis} coordinate replaced by indices[p]] += updates[p]. The adjoint of
 * {@link GatherElements}; MaxPool's gradient adds g at its argmax positions with it.
 */
public record ScatterElements(int axis) implements Op {
    @Override
    public String onnxName() {
        return "ScatterElements";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 3);
        Checks.floating(inputs.get(0));
        Checks.dtype(inputs.get(1), DType.INT64);
        Checks.sameDType(inputs.get(0), inputs.get(2));
        Shape d = inputs.get(0).shape();
        Shape i = inputs.get(1).shape();
        int a = d.axis(axis);
        if (!i.equals(inputs.get(2).shape())) {
            throw new IllegalArgumentException("indices " + i + " and updates " + inputs.get(2).shape() + " differ");
        }
        if (d.rank() != i.rank()) {
            throw new IllegalArgumentException("indices rank " + i.rank() + " differs from data rank " + d.rank());
        }
        for (int k = 0; k < d.rank(); k++) {
            if (k != a && d.dim(k) != i.dim(k)) {
                throw new IllegalArgumentException("indices " + i + " differ from data " + d + " outside axis " + a);
            }
        }
        return inputs.get(0);
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        return Arrays.asList(g, null, g.gatherElements(y.input(1), axis));
    }
}
