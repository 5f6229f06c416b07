package dev.theta.optimizers;

/**
 * AdamW with PyTorch's {@code torch.optim.AdamW} rule and defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8,
 * weight-decay 1e-2 (decoupled: θ ← θ − ηλθ before the Adam step), amsgrad false. See {@link AdamRule}.
 */
public final class AdamW extends AdamRule {
    public AdamW() {
        super(true, 0.01);
    }

    @Override
    public String name() {
        return "adamw";
    }

    @Override
    public String description() {
        return "Adam with decoupled weight decay and AMSGrad (torch.optim.AdamW)";
    }
}
