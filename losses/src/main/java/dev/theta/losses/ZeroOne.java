package dev.theta.losses;

import dev.theta.api.graph.Value;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.Reduction;
import dev.theta.api.tensor.DType;

import java.util.List;

/**
 * The 0-1 loss: a metric, not a training objective (its gradient is zero almost everywhere). With k scores it is
 * 1{argmax h(x) ≠ y}, where a target score that ties with the maximum counts as correct. With one score it is
 * 1{y·h(x) ≤ 0} with y = ±1 from the class indices {0, 1}: a score of exactly 0 counts as an error for both classes.
 */
public final class ZeroOne implements LossProvider {
    private static final String K = "k";
    private static final String ONE = "one";

    @Override
    public String name() {
        return "zero-one";
    }

    @Override
    public String description() {
        return "0-1 loss 1{argmax h(x) != y}, or 1{y h(x) <= 0} on one score: a metric only, not trainable";
    }

    @Override
    public OptionSchema options() {
        return OptionSchema.of(Losses.REDUCTION,
                Option.choice("scores", K, List.of(K, ONE),
                        "k: one score per class, argmax decides; one: a single score for two classes, its sign decides"));
    }

    @Override
    public Loss create(Options options, DataSpec data) {
        Reduction reduction = Losses.reduction(options);
        if (options.getString("scores").equals(ONE)) {
            Losses.requireTwoClasses(data, options);
            return new OneScore(reduction);
        }
        Losses.requireClasses(data, options, 2);
        return new KScores(reduction);
    }

    private static String refusal(String surrogates) {
        return "loss 'zero-one' is a metric, not a training objective: its gradient is zero almost everywhere."
                + " Train with a differentiable surrogate such as " + surrogates + "; accuracy (1 - zero-one) is reported anyway";
    }

    private record KScores(Reduction reduction) implements Loss {
        @Override
        public int scores(DataSpec d) {
            return d.classes();
        }

        @Override
        public Value perExample(Value scores, Value target) {
            return Losses.targetScores(scores, target).less(scores.amax(1)).cast(DType.FLOAT32);
        }

        @Override
        public Decision decision() {
            return Decision.ARGMAX;
        }

        @Override
        public String notTrainableReason() {
            return refusal("'cross-entropy' (or 'multiclass-hinge')");
        }
    }

    private record OneScore(Reduction reduction) implements Loss {
        @Override
        public int scores(DataSpec d) {
            return 1;
        }

        @Override
        public Value perExample(Value scores, Value target) {
            return Losses.margin(scores, target).greater(0f).cast(DType.FLOAT32).rsub(1f);
        }

        @Override
        public Decision decision() {
            return Decision.SIGN;
        }

        @Override
        public String notTrainableReason() {
            return refusal("'logistic' or 'hinge'");
        }
    }
}
