package dev.theta.losses;

import dev.theta.api.graph.Value;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.Reduction;

/**
 * Softmax cross-entropy on class indices, with PyTorch's {@code CrossEntropyLoss} semantics for class weights w and
 * label smoothing ε over k classes: ℓ = (1−ε)·w_y·(−log p_y) + ε/k·Σ_c w_c·(−log p_c) with p = softmax(h(x)),
 * computed with a stable log-softmax. With weights, the mean divides by Σ w_y over the batch, as PyTorch does.
 */
public final class CrossEntropy implements LossProvider {
    @Override
    public String name() {
        return "cross-entropy";
    }

    @Override
    public String description() {
        return "softmax cross-entropy -log softmax(h(x))_y on class indices, with label smoothing and class weights";
    }

    @Override
    public OptionSchema options() {
        return OptionSchema.of(Losses.REDUCTION,
                Option.number("label-smoothing", 0.0, Range.UNIT,
                        "epsilon: the target is (1 - epsilon) on the true class plus epsilon/k on every class"),
                Losses.weightsOption("per-class weights w_c >= 0; the mean then divides by the sum of the targets' weights"));
    }

    @Override
    public Loss create(Options options, DataSpec data) {
        Losses.requireClasses(data, options, 2);
        return new Softmax(Losses.reduction(options), (float) options.getDouble("label-smoothing"),
                Losses.classWeights(options, data));
    }

    /** {@code weights} is null when every class weighs 1. */
    private record Softmax(Reduction reduction, float smoothing, float[] weights) implements Loss {
        @Override
        public int scores(DataSpec d) {
            return d.classes();
        }

        @Override
        public Value perExample(Value scores, Value target) {
            Value logP = scores.logSoftmax(1);
            Value nll = Losses.targetScores(logP, target).neg();
            if (weights != null) {
                nll = nll.mul(Losses.targetWeights(weights, target));
            }
            if (smoothing == 0) {
                return nll;
            }
            Value weighted = weights == null ? logP : logP.mul(Losses.vector(scores.graph(), weights));
            Value uniform = weighted.sum(1).neg();
            return nll.mul(1 - smoothing).add(uniform.mul(smoothing / scores.shape().dim(1)));
        }

        @Override
        public Value meanWeights(Value target) {
            return weights == null ? null : Losses.targetWeights(weights, target);
        }

        @Override
        public Decision decision() {
            return Decision.ARGMAX;
        }
    }
}
