package dev.theta.api.ops;

import dev.theta.api.graph.Role;
import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;

import java.util.List;

/** A named graph input (a batch, a parameter, optimizer state or a scalar hyperparameter). */
public record Input(String name, Role role, TensorType type) implements Op {
    @Override
    public String onnxName() {
        return "Input";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 0);
        return type;
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        return List.of();
    }
}
