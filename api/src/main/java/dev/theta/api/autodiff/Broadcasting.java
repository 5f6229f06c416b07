package dev.theta.api.autodiff;

import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;

import java.util.ArrayList;
import java.util.List;

/** Undoes broadcasting in gradients: a gradient at the broadcast shape is summed back to the input's shape. */
public final class Broadcasting {
    private Broadcasting() {
    }

    public static Value sumTo(Value g, Shape target) {
        Shape gs = g.type().shape();
        if (gs.equals(target)) {
            return g;
        }
        int lead = gs.rank() - target.rank();
        if (lead < 0) {
            throw new IllegalArgumentException("gradient " + gs + " has lower rank than " + target);
        }
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < gs.rank(); i++) {
            if (i < lead || (target.dim(i - lead) == 1 && gs.dim(i) != 1)) {
                axes.add(i);
            }
        }
        Value summed = axes.isEmpty() ? g : g.sum(axes.stream().mapToInt(Integer::intValue).toArray());
        return summed.reshape(target);
    }
}
