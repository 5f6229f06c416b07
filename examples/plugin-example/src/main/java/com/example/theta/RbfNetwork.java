package com.example.theta;

import dev.theta.api.graph.Value;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.Initializer;
import dev.theta.api.tensor.Shape;

/**
 * A radial-basis-function network: m learned centres c_j, features φ_j(x) = exp(-γ ||x - c_j||² / d) for d input
 * features, and linear scores φ(x) W + b. The squared distances are ||x||² - 2 x·c_j + ||c_j||², one matrix product.
 */
public final class RbfNetwork implements HypothesisProvider {
    @Override
    public String name() {
        return "rbf";
    }

    @Override
    public String description() {
        return "RBF network: exp(-gamma ||x - c_j||^2 / d) for m learned centres, then linear scores (example plugin)";
    }

    @Override
    public OptionSchema options() {
        return OptionSchema.of(
                Option.integer("centres", 64, Range.atLeast(1), "number m of learned centres"),
                Option.number("gamma", 0.5, Range.POSITIVE, "width: larger values make each centre's feature more local"));
    }

    @Override
    public Hypothesis create(Options options, DataSpec data, int scores) {
        int m = options.getInt("centres");
        int d = data.featureSize();
        float gamma = (float) options.getDouble("gamma") / d;
        return (params, input) -> {
            Value x = input.shape().rank() == 2 ? input : input.reshape(Shape.of(Shape.BATCH, d));
            Value centres = params.create("centres", Shape.of(m, d), d, m, Initializer.normal(1.0));
            Value w = params.create("W", Shape.of(m, scores), m, scores, Initializer.uniform(1 / Math.sqrt(m)));
            Value b = params.create("b", Shape.of(scores), m, scores, Initializer.ZEROS);
            Value distances = x.mul(x).sumKeep(1)
                    .sub(x.matmul(centres.transpose(1, 0)).mul(2f))
                    .add(centres.mul(centres).sum(1));
            Value out = distances.mul(-gamma).exp().matmul(w).add(b);
            return scores == 1 ? out.reshape(Shape.of(Shape.BATCH)) : out;
        };
    }
}
