package dev.theta.hypotheses;

import dev.theta.api.graph.Value;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.Shape;

/** The pieces linear and MLP hypotheses share: flattening the input, an affine layer, and the score shape. */
final class Dense {
    private Dense() {
    }

    /** The input as [N, features]. */
    static Value flatten(Value x, int features) {
        return x.reshape(Shape.of(Shape.BATCH, features));
    }

    /** h·W + b with parameters named {@code W<suffix>} and {@code b<suffix>}. */
    static Value layer(Parameters p, Value h, String suffix, int in, int out, String init, boolean bias) {
        Value y = h.matmul(p.create("W" + suffix, Shape.of(in, out), in, out, Initializers.named(init)));
        return bias ? y.add(p.create("b" + suffix, Shape.of(out), in, out, Initializers.bias(init))) : y;
    }

    /** k scores as [N, k]; one score as [N]. */
    static Value scores(Value s, int scores) {
        return scores == 1 ? s.reshape(Shape.of(Shape.BATCH)) : s;
    }
}
