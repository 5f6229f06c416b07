package dev.theta.api.ops;

import dev.theta.api.autodiff.Broadcasting;
import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;

import java.util.List;

/** Broadcasts the input to {@code target} (NumPy rules); the gradient sums back over the broadcast axes. */
public record Expand(Shape target) implements Op {
    @Override
    public String onnxName() {
        return "Expand";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 1);
        Shape in = inputs.get(0).shape();
        if (!Shape.broadcast(in, target).equals(target)) {
            throw new IllegalArgumentException("cannot expand " + in + " to " + target);
        }
        return inputs.get(0).withShape(target);
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        return List.of(Broadcasting.sumTo(g, y.input(0).type().shape()));
    }
}
