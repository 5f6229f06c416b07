package dev.theta.api.train;

import dev.theta.api.graph.BatchNorm;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.ops.Input;
import dev.theta.api.spi.Initializer;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Declares parameters as graph inputs: fresh values from the initializer, or the values of another graph. Dropout
 * is applied where {@code dropout} is set (the step graph only). Batch normalization's running statistics are
 * inputs too ({@code param/NAME.running_mean}, role {@link Role#STATE}): with {@code training} (the step graph)
 * they are updated from the batch and carried, otherwise they normalise.
 */
final class InitialParameters implements Parameters {
    private final Graph graph;
    private final Random random;
    private final Map<String, Tensor> existing;
    /** The trainable parameters, by input name: what autodiff and the optimizer see. */
    final Map<String, Value> values = new LinkedHashMap<>();
    /** Input names of every model value (parameters and running statistics), in declaration order. */
    final List<String> modelInputs = new ArrayList<>();
    /** Whether batch normalization uses (and updates) the batch's statistics: the step graph. */
    boolean training;
    /** Why this graph cannot hold batch normalization, or null where it can. */
    String batchNormRefusal;
    private final ParameterMemory memory = ParameterMemory.ofThisJvm();
    Dropout dropout;

    InitialParameters(Graph graph, Random random, Map<String, Tensor> existing) {
        this.graph = graph;
        this.random = random;
        this.existing = existing;
    }

    @Override
    public Value create(String name, Shape shape, int fanIn, int fanOut, Initializer initializer) {
        Value v = declare("parameter", name, Role.PARAMETER, () -> {
            memory.declare(name, shape);
            Tensor fresh = Tensor.zeros(DType.FLOAT32, shape);
            initializer.fill(fresh.floats(), shape, fanIn, fanOut, random);
            return fresh;
        });
        values.put(TrainingProgram.parameter(name), v);
        return v;
    }

    /** Input {@code param/NAME}: another graph's value where given, else a fresh one. */
    private Value declare(String what, String name, Role role, Supplier<Tensor> fresh) {
        String input = TrainingProgram.parameter(name);
        if (modelInputs.contains(input)) {
            throw new IllegalArgumentException(what + " '" + name + "' declared twice");
        }
        Tensor initial = existing != null ? existing.get(input) : fresh.get();
        if (initial == null) {
            throw new IllegalArgumentException("no value given for " + what + " '" + name + "'");
        }
        modelInputs.add(input);
        return graph.input(input, role, initial);
    }

    @Override
    public Value batchNorm(String name, Value x, double momentum, double eps) {
        if (batchNormRefusal != null) {
            throw new IllegalArgumentException(batchNormRefusal);
        }
        BatchNorm.check(x, momentum, eps);
        int c = x.shape().dim(1);
        Value weight = create(name + ".weight", Shape.of(c), c, c, Initializer.ONES);
        Value bias = create(name + ".bias", Shape.of(c), c, c, Initializer.ZEROS);
        Value mean = statistic(name + ".running_mean", c, 0f);
        Value variance = statistic(name + ".running_var", c, 1f);
        if (!training) {
            return BatchNorm.inference(x, mean, variance, weight, bias, eps);
        }
        BatchNorm.Moments m = BatchNorm.moments(x);
        carry(mean, BatchNorm.running(mean, m.mean(), momentum));
        carry(variance, BatchNorm.running(variance, m.unbiasedVariance(), momentum));
        return BatchNorm.normalize(m, weight, bias, eps);
    }

    /** A running statistic [C]: an input starting at {@code initial}, or holding another graph's value. */
    private Value statistic(String name, int channels, float initial) {
        return declare("running statistic", name, Role.STATE, () -> {
            float[] data = new float[channels];
            Arrays.fill(data, initial);
            return Tensor.of(Shape.of(channels), data);
        });
    }

    private void carry(Value statistic, Value next) {
        String input = ((Input) statistic.op()).name();
        graph.output(TrainingProgram.next(input), next);
        graph.carry(TrainingProgram.next(input), input);
    }

    @Override
    public Value dropout(Value x, double p) {
        return dropout == null ? Parameters.super.dropout(x, p) : dropout.apply(x, p);
    }
}
