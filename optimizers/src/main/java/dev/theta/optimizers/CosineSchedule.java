package dev.theta.optimizers;

import dev.theta.api.options.Option;
import dev.theta.api.options.OptionException;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;

import java.util.function.LongToDoubleFunction;

/**
 * PyTorch {@code CosineAnnealingLR}: η_min + (lr − η_min)(1 + cos(πk / T)) / 2 after k scheduler steps. Past T it
 * rises again with period 2T, as PyTorch's does; by default T is the rest of the run, so it never gets there.
 */
public final class CosineSchedule extends WarmUpSchedule {
    public CosineSchedule() {
        super(Option.integer("t-max", 0, Range.NON_NEGATIVE,
                        "units T from lr down to eta-min; 0 = the rest of the run after the warm-up"),
                Option.number("eta-min", 0.0, Range.NON_NEGATIVE, "the lowest learning rate η_min"));
    }

    @Override
    public String name() {
        return "cosine";
    }

    @Override
    public String description() {
        return "cosine annealing from lr to eta-min over t-max units (torch.optim.lr_scheduler.CosineAnnealingLR)";
    }

    @Override
    LongToDoubleFunction curve(Options o, double baseLr, long remaining) {
        long tMax = o.getInt("t-max") > 0 ? o.getInt("t-max") : remaining;
        if (tMax < 1) {
            throw new OptionException(o.prefix() + ".warmup", o.getInt("warmup"), "leaves no " + o.getString("unit")
                    + "s of the run for the cosine; set t-max or shorten the warm-up");
        }
        double etaMin = o.getDouble("eta-min");
        return count -> etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * count / tMax)) / 2;
    }
}
