package dev.theta.api.train;

import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.options.OptionException;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training step split in two for data-parallel training: a gradient graph that shards of a global batch run,
 * and an update graph the driver runs on their summed gradients. Both are built from {@link TrainingProgram}'s own
 * pieces (scores, per-example loss, {@link TrainingProgram#appendUpdate}), so no rule exists twice.
 */
public final class SplitStep {
    private SplitStep() {
    }

    /**
     * Output of the {@linkplain #gradientGraph gradient graph} holding ∂(Σ loss)/∂θ over its batch for parameter input
     * {@code parameterInput}; the {@linkplain #updateGraph update graph}'s input of the same name takes the sum of these
     * over every shard of a global batch.
     */
    public static String gradient(String parameterInput) {
        return "grad/" + parameterInput;
    }

    /**
     * The first half of a training step split for data-parallel training: the forward pass of {@code hypothesis} and
     * {@code loss} over one shard of a global batch, with outputs {@value TrainingProgram#LOSS_SUM}, {@value TrainingProgram#WEIGHT_SUM}, {@value TrainingProgram#SCORES} and, per
     * parameter, {@link #gradient} = ∂(Σ per-example loss)/∂θ. Sums over shards add up to the whole batch's, so the
     * mean is taken once, by the {@linkplain #updateGraph update graph}. Parameters are inputs holding {@code parameters}
     * (keyed by input name: a program's {@code step().initialValues()} will do); no carries, no optimizer.
     */
    public static Graph gradientGraph(DataSpec data, Hypothesis hypothesis, Loss loss, Map<String, Tensor> parameters) {
        String refusal = loss.notTrainableReason();
        if (refusal != null) {
            throw new OptionException("loss.name", refusal);
        }
        Graph g = new Graph();
        InitialParameters params = new InitialParameters(g, null, parameters);
        // Each shard would normalise with its own statistics and update the running ones alone.
        params.batchNormRefusal = "batch normalization is not supported in data-parallel training: each shard"
                + " would normalise with its own batch statistics; train on one machine";
        Value flatTargets = TrainingProgram.positionRows(TrainingProgram.targets(g, data), data);
        Value scores = TrainingProgram.scores(hypothesis, params, TrainingProgram.features(g, data), loss.scores(data), data);
        TrainingProgram.outputSums(g, loss, TrainingProgram.perExample(loss, TrainingProgram.positionRows(scores, data), flatTargets, data), flatTargets);
        // As the step graph's: the driver's loop counts correct predictions for the train metrics from them.
        g.output(TrainingProgram.SCORES, scores);
        Value lossSum = g.outputs().get(TrainingProgram.LOSS_SUM);
        Map<Value, Value> grads = Autodiff.gradients(lossSum, List.copyOf(params.values.values()));
        params.values.forEach((input, value) -> g.output(gradient(input), grads.get(value)));
        return g;
    }

    /**
     * The second half of the split step: the optimizer's update of every parameter from the gradient sums of a global
     * batch (inputs {@link #gradient}, float32 like the parameter) and that batch's {@value TrainingProgram#WEIGHT_SUM} (a scalar
     * input), with {@value TrainingProgram#LEARNING_RATE}, {@value TrainingProgram#STEP}, optimizer state and carries exactly as in the step graph.
     * It is {@link TrainingProgram#appendUpdate} itself, applied to the linear surrogate Σ⟨θ, ḡ⟩ whose gradient is ḡ, the batch's
     * gradient: Σ g / {@value TrainingProgram#WEIGHT_SUM} for a mean loss, Σ g for a summed one. So clipping and every optimizer rule
     * exist once, and gradient graph then update graph equal the step graph up to float summation order.
     */
    public static Graph updateGraph(Loss loss, Optimizer optimizer, Map<String, Tensor> parameters, double clipGradNorm) {
        Graph g = new Graph();
        Value weightSum = g.input(TrainingProgram.WEIGHT_SUM, Role.HYPER, DType.FLOAT32, Shape.SCALAR);
        Map<String, Value> params = new LinkedHashMap<>();
        Value surrogate = null;
        for (Map.Entry<String, Tensor> p : parameters.entrySet()) {
            Value theta = g.input(p.getKey(), Role.PARAMETER, p.getValue());
            Value sum = g.input(gradient(p.getKey()), Role.DATA, DType.FLOAT32, p.getValue().shape());
            Value batchGradient = switch (loss.reduction()) {
                case SUM -> sum;
                case MEAN -> sum.div(weightSum);
                case NONE -> throw new IllegalArgumentException("a loss with reduction none has no objective to update with");
            };
            Value term = theta.mul(batchGradient).sum();
            surrogate = surrogate == null ? term : surrogate.add(term);
            params.put(p.getKey(), theta);
        }
        if (surrogate == null) {
            throw new IllegalArgumentException("no parameters to update");
        }
        TrainingProgram.appendUpdate(g, surrogate, params, optimizer, clipGradNorm);
        return g;
    }

}
