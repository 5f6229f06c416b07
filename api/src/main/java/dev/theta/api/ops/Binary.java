package dev.theta.api.ops;

import dev.theta.api.autodiff.Broadcasting;
import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.Arrays;
import java.util.List;

/** A broadcasting elementwise function of two tensors of one type; see {@link BinaryFn} for the rows. */
public record Binary(BinaryFn fn) implements Op {
    @Override
    public String onnxName() {
        return fn.onnxName();
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 2);
        TensorType a = inputs.get(0);
        TensorType b = inputs.get(1);
        Checks.sameDType(a, b);
        if (a.dtype() == DType.BOOL || (a.dtype() == DType.INT64 && (fn == BinaryFn.DIV || fn == BinaryFn.POW))) {
            throw new IllegalArgumentException(fn.onnxName() + " is not defined for " + a.dtype());
        }
        return new TensorType(a.dtype(), Shape.broadcast(a.shape(), b.shape()));
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        if (!y.type().dtype().isFloating()) {
            return Arrays.asList(null, null);
        }
        Value a = y.input(0);
        Value b = y.input(1);
        return List.of(Broadcasting.sumTo(fn.vjpA(a, b, y, g), a.type().shape()),
                Broadcasting.sumTo(fn.vjpB(a, b, y, g), b.type().shape()));
    }
}
