package dev.theta.hypotheses;

import dev.theta.api.graph.Value;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.Parameters;

/** The linear hypothesis h(x) = xW + b: k scores, or one score (shape [N]) when the loss asks for one. */
public final class Linear implements HypothesisProvider {
    private static final OptionSchema OPTIONS = OptionSchema.of(
            Initializers.OPTION,
            Option.bool("bias", true, "add a learned bias b"));

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public String description() {
        return "linear scores xW + b (softmax regression with cross-entropy)";
    }

    @Override
    public OptionSchema options() {
        return OPTIONS;
    }

    @Override
    public Hypothesis create(Options options, DataSpec data, int scores) {
        DualEncoderHypothesis.requireScoresPerExample(options, scores);
        String init = options.getString("init");
        boolean bias = options.getBool("bias");
        int in = data.featureSize();
        return (Parameters p, Value x) -> Dense.scores(Dense.layer(p, Dense.flatten(x, in), "", in, scores, init, bias), scores);
    }
}
