package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;

import java.util.List;

/**
 * log softmax along {@code axis}, computed stably as x - max - log(sum(exp(x - max))). A primitive rather than a
 * composition so that its gradient, g - softmax·sum(g), stays one cheap rule.
 */
public record LogSoftmax(int axis) implements Op {
    @Override
    public String onnxName() {
        return "LogSoftmax";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 1);
        Checks.floating(inputs.get(0));
        inputs.get(0).shape().axis(axis);
        return inputs.get(0);
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        int a = y.type().shape().axis(axis);
        return List.of(g.sub(y.exp().mul(g.sumKeep(a))));
    }
}
