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

/**
 * Stochastic gradient descent with PyTorch's {@code torch.optim.SGD} update rule and defaults:
 * g = ∇ + λθ; b = μb + (1−τ)g (b = g on the first step); g = g + μb (Nesterov) or b; θ = θ − ηg.
 */
public final class Sgd implements OptimizerProvider {
    private static final OptionSchema OPTIONS = OptionSchema.of(
            UpdateTerms.learningRate(0.001),
            Option.number("momentum", 0.0, Range.NON_NEGATIVE, "momentum factor μ"),
            Option.number("dampening", 0.0, Range.UNIT, "dampening τ of the momentum"),
            Option.bool("nesterov", false, "Nesterov momentum (needs momentum > 0 and dampening 0)"),
            UpdateTerms.weightDecay(0.0, "L2 penalty λ added to the gradient"));

    @Override
    public String name() {
        return "sgd";
    }

    @Override
    public String description() {
        return "stochastic gradient descent with momentum, dampening, Nesterov and weight decay (torch.optim.SGD)";
    }

    @Override
    public OptionSchema options() {
        return OPTIONS;
    }

    @Override
    public Optimizer create(Options o) {
        double momentum = o.getDouble("momentum");
        double dampening = o.getDouble("dampening");
        boolean nesterov = o.getBool("nesterov");
        double weightDecay = o.getDouble("weight-decay");
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new OptionException(o.prefix() + ".nesterov", "Nesterov momentum requires a momentum > 0 and zero dampening"
                    + " (momentum = " + momentum + ", dampening = " + dampening + ")");
        }
        return (ParameterUpdate u) -> {
            Value p = u.parameter();
            Value g = UpdateTerms.l2Gradient(u, weightDecay);
            if (momentum != 0) {
                Value buf = u.state("momentum-buffer", 0f);
                // Flushed below float's normal range, as Adam's moments (UpdateTerms.movingAverage says why).
                Value next = UpdateTerms.flushSubnormal(buf.mul((float) momentum).add(g.mul((float) (1 - dampening))));
                if (dampening != 0) {
                    // PyTorch starts the buffer at the raw gradient, undamped.
                    next = u.step().equal(u.step().graph().scalar(1f)).where(g, next);
                }
                u.updateState("momentum-buffer", next);
                g = nesterov ? g.add(next.mul((float) momentum)) : next;
            }
            return p.sub(g.mul(u.learningRate()));
        };
    }
}
