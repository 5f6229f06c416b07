package dev.theta.core.testing;

import dev.theta.api.graph.Value;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.Initializer;
import dev.theta.api.tensor.Shape;

/**
 * A test plugin: the bigram language model, scores of every position the row of a [classes, classes] table picked
 * by the token there, so token ids [N, T] give scores [N, T, k].
 */
public final class BigramHypothesis implements HypothesisProvider {
    public static final String NAME = "test-bigram";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "test only: next-token scores from a table indexed by the current token";
    }

    @Override
    public OptionSchema options() {
        return OptionSchema.of();
    }

    @Override
    public Hypothesis create(Options options, DataSpec data, int scores) {
        int vocabulary = data.classes();
        return (parameters, input) -> {
            Value table = parameters.create("table", Shape.of(vocabulary, scores), vocabulary, scores, Initializer.normal(1));
            return table.gather(input);
        };
    }
}
