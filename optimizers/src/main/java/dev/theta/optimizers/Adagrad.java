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
 * Adagrad with PyTorch's {@code torch.optim.Adagrad} rule and defaults (lr 1e-2, lr-decay 0, weight-decay 0,
 * initial-accumulator 0, eps 1e-10): g = ∇ + λθ; η̃ = η / (1 + (t−1)·lr-decay); s = s + g²; θ = θ − η̃·g / (√s + ε).
 */
public final class Adagrad implements OptimizerProvider {
    private static final OptionSchema OPTIONS = OptionSchema.of(
            UpdateTerms.learningRate(0.01),
            Option.number("lr-decay", 0.0, Range.NON_NEGATIVE, "the step t uses lr / (1 + (t−1)·lr-decay)"),
            UpdateTerms.weightDecay(0.0, "L2 penalty λ added to the gradient"),
            Option.number("initial-accumulator", 0.0, Range.NON_NEGATIVE, "starting value of the sum of squared gradients"),
            Option.number("eps", 1e-10, Range.NON_NEGATIVE, "ε added to the denominator"));

    @Override
    public String name() {
        return "adagrad";
    }

    @Override
    public String description() {
        return "Adagrad with learning-rate decay and weight decay (torch.optim.Adagrad)";
    }

    @Override
    public OptionSchema options() {
        return OPTIONS;
    }

    @Override
    public Optimizer create(Options o) {
        double lrDecay = o.getDouble("lr-decay");
        double weightDecay = o.getDouble("weight-decay");
        float initial = (float) o.getDouble("initial-accumulator");
        double eps = o.getDouble("eps");
        return (ParameterUpdate u) -> {
            Value g = UpdateTerms.l2Gradient(u, weightDecay);
            Value lr = u.learningRate();
            if (lrDecay != 0) {
                lr = lr.div(u.step().sub(1f).mul((float) lrDecay).add(1f));
            }
            Value sum = u.state("sum", initial).add(g.mul(g));
            u.updateState("sum", sum);
            return u.parameter().sub(lr.mul(g.div(sum.sqrt().add((float) eps))));
        };
    }
}
