package dev.theta.hypotheses;

import dev.theta.api.graph.Value;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.Parameters;

import java.util.ArrayList;
import java.util.List;

/**
 * A multilayer perceptron: hidden layers x ↦ act(xW + b), then a linear layer to k scores (or one score when the
 * loss asks for one). Parameters are named W1, b1, ..., with the output layer last.
 */
public final class Mlp implements HypothesisProvider {
    private static final OptionSchema OPTIONS = OptionSchema.of(
            Option.intList("hidden", List.of(256), Range.atLeast(1), "sizes of the hidden layers, e.g. [256, 128]"),
            Option.choice("activation", "relu", Activation.labels(), "hidden nonlinearity (gelu is the tanh form)"),
            Option.choice("init", "auto", List.of("auto", "pytorch", "xavier", "he", "zeros"),
                    "weight initialiser; auto = he for relu/gelu, xavier for tanh/sigmoid (biases start at 0)"),
            Option.bool("bias", true, "learned biases in every layer"));

    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public String description() {
        return "multilayer perceptron: hidden layers with relu/tanh/sigmoid/gelu, then k scores (or one)";
    }

    @Override
    public OptionSchema options() {
        return OPTIONS;
    }

    @Override
    public Hypothesis create(Options options, DataSpec data, int scores) {
        DualEncoderHypothesis.requireScoresPerExample(options, scores);
        List<Integer> widths = new ArrayList<>();
        widths.add(data.featureSize());
        for (Number h : options.getList("hidden")) {
            widths.add(h.intValue());
        }
        widths.add(scores);
        Activation act = Activation.of(options.getString("activation"));
        String init = options.getString("init").equals("auto") ? act.suggestedInit() : options.getString("init");
        boolean bias = options.getBool("bias");
        return (Parameters p, Value x) -> {
            Value h = Dense.flatten(x, widths.get(0));
            for (int layer = 1; layer < widths.size(); layer++) {
                h = Dense.layer(p, h, Integer.toString(layer), widths.get(layer - 1), widths.get(layer), init, bias);
                if (layer < widths.size() - 1) {
                    h = act.apply(h);
                }
            }
            return Dense.scores(h, scores);
        };
    }
}
