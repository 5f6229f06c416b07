package dev.theta.optimizers;

/**
 * Adam with PyTorch's {@code torch.optim.Adam} rule and defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8,
 * weight-decay 0 (an L2 term added to the gradient), amsgrad false. See {@link AdamRule} for the update.
 */
public final class Adam extends AdamRule {
    public Adam() {
        super(false, 0.0);
    }

    @Override
    public String name() {
        return "adam";
    }

    @Override
    public String description() {
        return "Adam with bias correction, L2 weight decay and AMSGrad (torch.optim.Adam)";
    }
}
