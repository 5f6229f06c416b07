package dev.theta.optimizers;

import dev.theta.api.graph.Value;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.spi.ParameterUpdate;

/**
 * RMSprop with PyTorch's {@code torch.optim.RMSprop} rule and defaults (lr 1e-2, alpha 0.99, eps 1e-8,
 * weight-decay 0, momentum 0, centered false): g = ∇ + λθ; v = αv + (1−α)g²; centered: ḡ = αḡ + (1−α)g and
 * d = √(v − ḡ²) + ε, else d = √v + ε; with momentum μ > 0: b = μb + g/d and θ = θ − ηb, else θ = θ − ηg/d.
 */
public final class Rmsprop implements OptimizerProvider {
    private static final OptionSchema OPTIONS = OptionSchema.of(
            UpdateTerms.learningRate(0.01),
            Option.number("alpha", 0.99, Range.UNIT, "smoothing constant α of the squared-gradient average"),
            Option.number("eps", 1e-8, Range.NON_NEGATIVE, "ε added to the denominator"),
            UpdateTerms.weightDecay(0.0, "L2 penalty λ added to the gradient"),
            Option.number("momentum", 0.0, Range.NON_NEGATIVE, "momentum factor μ"),
            Option.bool("centered", false, "normalise by the estimated variance of the gradient instead of its second moment"));

    @Override
    public String name() {
        return "rmsprop";
    }

    @Override
    public String description() {
        return "RMSprop with momentum, centering and weight decay (torch.optim.RMSprop)";
    }

    @Override
    public OptionSchema options() {
        return OPTIONS;
    }

    @Override
    public Optimizer create(Options o) {
        double alpha = o.getDouble("alpha");
        double eps = o.getDouble("eps");
        double weightDecay = o.getDouble("weight-decay");
        double momentum = o.getDouble("momentum");
        boolean centered = o.getBool("centered");
        return (ParameterUpdate u) -> {
            Value g = UpdateTerms.l2Gradient(u, weightDecay);
            Value squareAvg = UpdateTerms.movingAverage(u.state("square-avg", 0f), g.mul(g), alpha);
            u.updateState("square-avg", squareAvg);
            Value variance = squareAvg;
            if (centered) {
                Value gradAvg = UpdateTerms.movingAverage(u.state("grad-avg", 0f), g, alpha);
                u.updateState("grad-avg", gradAvg);
                variance = squareAvg.sub(gradAvg.mul(gradAvg));
            }
            Value direction = g.div(variance.sqrt().add((float) eps));
            if (momentum > 0) {
                direction = u.state("momentum-buffer", 0f).mul((float) momentum).add(direction);
                u.updateState("momentum-buffer", direction);
            }
            return u.parameter().sub(u.learningRate().mul(direction));
        };
    }
}
