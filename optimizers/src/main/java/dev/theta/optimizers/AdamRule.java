package dev.theta.optimizers;

import dev.theta.api.graph.Value;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionException;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.spi.ParameterUpdate;

import java.util.List;

/**
 * The update of {@code torch.optim.Adam} and {@code torch.optim.AdamW}, which differ only in how weight decay
 * enters: as an L2 term added to the gradient, or decoupled as θ ← θ − ηλθ before the step. With
 * b₁ = 1 − β₁ᵗ and b₂ = 1 − β₂ᵗ:
 * m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²; v̄ = max(v̄, v) with amsgrad, else v; θ = θ − (η/b₁)·m / (√v̄/√b₂ + ε).
 * Like PyTorch's implementation, amsgrad keeps the maximum of the raw v and bias-corrects it afterwards.
 */
abstract sealed class AdamRule implements OptimizerProvider permits Adam, AdamW {
    private final boolean decoupled;
    private final OptionSchema options;

    AdamRule(boolean decoupled, double defaultWeightDecay) {
        this.decoupled = decoupled;
        this.options = OptionSchema.of(
                UpdateTerms.learningRate(0.001),
                Option.numberList("betas", List.of(0.9, 0.999), Range.UNIT_HALF_OPEN,
                        "[β₁, β₂]: decay rates of the moving averages of the gradient and its square"),
                Option.number("eps", 1e-8, Range.NON_NEGATIVE, "ε added to the denominator"),
                UpdateTerms.weightDecay(defaultWeightDecay, decoupled
                        ? "decoupled weight decay λ: θ ← θ − ηλθ before the step"
                        : "L2 penalty λ added to the gradient"),
                Option.bool("amsgrad", false, "divide by the largest second moment seen so far (AMSGrad)"));
    }

    @Override
    public OptionSchema options() {
        return options;
    }

    @Override
    public Optimizer create(Options o) {
        List<Number> betas = o.getList("betas");
        if (betas.size() != 2) {
            throw new OptionException(o.prefix() + ".betas", betas, "expected 2 numbers [β₁, β₂], got " + betas.size());
        }
        double beta1 = betas.get(0).doubleValue();
        double beta2 = betas.get(1).doubleValue();
        double eps = o.getDouble("eps");
        double weightDecay = o.getDouble("weight-decay");
        boolean amsgrad = o.getBool("amsgrad");
        return (ParameterUpdate u) -> {
            Value p = u.parameter();
            Value lr = u.learningRate();
            Value g = u.gradient();
            if (decoupled && weightDecay != 0) {
                p = p.mul(lr.mul((float) weightDecay).rsub(1f));
            } else if (!decoupled) {
                g = UpdateTerms.l2Gradient(u, weightDecay);
            }
            Value m = UpdateTerms.movingAverage(u.state("exp-avg", 0f), g, beta1);
            Value v = UpdateTerms.movingAverage(u.state("exp-avg-sq", 0f), g.mul(g), beta2);
            u.updateState("exp-avg", m);
            u.updateState("exp-avg-sq", v);
            if (amsgrad) {
                v = u.state("max-exp-avg-sq", 0f).max(v);
                u.updateState("max-exp-avg-sq", v);
            }
            Value stepSize = lr.div(UpdateTerms.oneMinusPower(beta1, u.step()));
            Value denominator = v.sqrt().div(UpdateTerms.oneMinusPower(beta2, u.step()).sqrt()).add((float) eps);
            return p.sub(stepSize.mul(m.div(denominator)));
        };
    }
}
