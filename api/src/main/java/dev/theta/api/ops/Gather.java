package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.Arrays;
import java.util.List;

/**
 * ONNX Gather on axis 0: rows of {@code data} picked by int64 {@code indices}; out = indices.shape + data.shape[1:].
 * This is an embedding lookup. Negative indices are not supported.
 */
public record Gather() implements Op {
    @Override
    public String onnxName() {
        return "Gather";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 2);
        Checks.dtype(inputs.get(1), DType.INT64);
        int[] data = inputs.get(0).shape().dims();
        if (data.length == 0) {
            throw new IllegalArgumentException("data must have rank >= 1");
        }
        int[] idx = inputs.get(1).shape().dims();
        int[] out = Arrays.copyOf(idx, idx.length + data.length - 1);
        System.arraycopy(data, 1, out, idx.length, data.length - 1);
        return inputs.get(0).withShape(Shape.of(out));
    }

    /**
     * g added into zeros of the table's shape at the picked rows (ScatterElements with "add" along the rows, each
     * index repeated across its row): O(picks × rowSize), and a row picked twice gets both gradients.
     */
    @Override
    public List<Value> vjp(Value y, Value g) {
        Value data = y.input(0);
        Value indices = y.input(1);
        Shape ds = data.type().shape();
        int rowSize = 1;
        for (int i = 1; i < ds.rank(); i++) {
            rowSize *= ds.dim(i);
        }
        int picks = indices.type().shape().elementCountDim();
        Shape table = Shape.of(ds.dim(0), rowSize);
        Shape updates = Shape.of(picks, rowSize);
        Value rows = indices.reshape(Shape.of(picks, 1)).expand(updates);
        Value grad = data.zero().expand(table).scatterAdd(rows, g.reshape(updates), 0);
        return Arrays.asList(grad.reshape(ds), null);
    }
}
