package dev.theta.api.ops;

import dev.theta.api.autodiff.Broadcasting;
import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.Arrays;
import java.util.List;

/** {@code cond ? a : b} elementwise, broadcasting all three. */
public record Where() implements Op {
    @Override
    public String onnxName() {
        return "Where";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 3);
        Checks.dtype(inputs.get(0), DType.BOOL);
        Checks.sameDType(inputs.get(1), inputs.get(2));
        Shape s = Shape.broadcast(inputs.get(0).shape(), Shape.broadcast(inputs.get(1).shape(), inputs.get(2).shape()));
        return new TensorType(inputs.get(1).dtype(), s);
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        if (!y.type().dtype().isFloating()) {
            return Arrays.asList(null, null, null);
        }
        Value c = y.input(0);
        Value zero = g.zero();
        return Arrays.asList(null,
                Broadcasting.sumTo(c.where(g, zero), y.input(1).type().shape()),
                Broadcasting.sumTo(c.where(zero, g), y.input(2).type().shape()));
    }
}
