package dev.theta.api.train;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.spi.Initializer;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Declares parameters as graph inputs: fresh values from the initializer, or the values of another graph. Dropout
 * is applied where {@code dropout} is set (the step graph only).
 */
final class InitialParameters implements Parameters {
    private final Graph graph;
    private final Random random;
    private final Map<String, Tensor> existing;
    final Map<String, Value> values = new LinkedHashMap<>();
    private final ParameterMemory memory = ParameterMemory.ofThisJvm();
    Dropout dropout;

    InitialParameters(Graph graph, Random random, Map<String, Tensor> existing) {
        this.graph = graph;
        this.random = random;
        this.existing = existing;
    }

    @Override
    public Value create(String name, Shape shape, int fanIn, int fanOut, Initializer initializer) {
        String input = TrainingProgram.parameter(name);
        if (values.containsKey(input)) {
            throw new IllegalArgumentException("parameter '" + name + "' declared twice");
        }
        Tensor initial;
        if (existing != null) {
            initial = existing.get(input);
            if (initial == null) {
                throw new IllegalArgumentException("no value given for parameter '" + name + "'");
            }
        } else {
            memory.declare(name, shape);
            initial = Tensor.zeros(DType.FLOAT32, shape);
            initializer.fill(initial.floats(), shape, fanIn, fanOut, random);
        }
        Value v = graph.input(input, Role.PARAMETER, initial);
        values.put(input, v);
        return v;
    }

    @Override
    public Value dropout(Value x, double p) {
        return dropout == null ? Parameters.super.dropout(x, p) : dropout.apply(x, p);
    }
}
