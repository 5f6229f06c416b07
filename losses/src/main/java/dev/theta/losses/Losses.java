package dev.theta.losses;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Value;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionException;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Reduction;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/** Options, checks and graph pieces shared by the loss providers. */
final class Losses {
    static final Option REDUCTION = Option.choice("reduction", Reduction.MEAN.label(),
            Arrays.stream(Reduction.values()).map(Reduction::label).toList(),
            "how per-example losses become the objective: mean (weighted where the loss weighs classes), sum, or none");

    private Losses() {
    }

    static Option weightsOption(String doc) {
        return Option.numberList("weights", List.of(), Range.NON_NEGATIVE, doc + " (empty: every class weighs 1)");
    }

    static Reduction reduction(Options options) {
        return Reduction.of(options.getString(REDUCTION.name()));
    }

    static void requireClasses(DataSpec data, Options options, int min) {
        if (!data.isClassification() || data.classes() < min) {
            throw new OptionException(options.prefix(), "this loss needs class-index targets with at least " + min
                    + " classes, but the data has " + describeTargets(data));
        }
    }

    /** The one-score losses read class 1 as y = +1 and class 0 as y = −1, so they need exactly two classes. */
    static void requireTwoClasses(DataSpec data, Options options) {
        if (!data.isClassification() || data.classes() != 2) {
            throw new OptionException(options.prefix(), "this loss reads one score per example and needs exactly 2 classes"
                    + " (class 1 is y = +1, class 0 is y = -1), but the data has " + describeTargets(data)
                    + "; use 'cross-entropy' or 'multiclass-hinge' for k classes");
        }
    }

    private static String describeTargets(DataSpec data) {
        return data.isClassification() ? data.classes() + " class(es)" : "real-valued targets";
    }

    /**
     * The per-class weights of option {@code weights}, or null when it is empty; otherwise it must have one entry
     * per class and a positive entry (a mean over weights that are all zero is 0/0).
     */
    static float[] classWeights(Options options, DataSpec data) {
        List<Number> list = options.getList("weights");
        if (list.isEmpty()) {
            return null;
        }
        String path = options.prefix() + ".weights";
        if (list.size() != data.classes()) {
            throw new OptionException(path, list, "has " + list.size() + " entries, but the data has " + data.classes()
                    + " classes: give one weight per class");
        }
        float[] weights = new float[list.size()];
        boolean positive = false;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = list.get(i).floatValue();
            positive |= weights[i] > 0;
        }
        if (!positive) {
            throw new OptionException(path, list, "needs at least one positive weight");
        }
        return weights;
    }

    /** The weight of each example's target class, [N], from int64 class indices [N]. */
    static Value targetWeights(float[] weights, Value target) {
        return vector(target.graph(), weights).gather(target);
    }

    static Value vector(Graph graph, float[] values) {
        return graph.constant(Tensor.of(Shape.of(values.length), values));
    }

    /**
     * The score of each example's target class, [N], from scores [N, k] and int64 class indices [N] (N rows of any
     * size: the training program gives TN rows for a class per position).
     */
    static Value targetScores(Value scores, Value target) {
        int rows = target.shape().dim(0);
        return scores.gatherElements(target.reshape(Shape.of(rows, 1)), 1).reshape(Shape.of(rows));
    }

    /** y·h(x) for one score per example ([N, 1]) and class indices {0, 1} read as y = −1, +1. */
    static Value margin(Value scores, Value target) {
        Value y = target.cast(DType.FLOAT32).mul(2f).sub(1f);
        return scores.reshape(Shape.of(target.shape().dim(0))).mul(y);
    }
}
