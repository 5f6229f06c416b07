package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.tensor.DType;

import java.util.List;

/** Argument checks shared by the type rules of the primitives. */
final class Checks {
    private Checks() {
    }

    static void arity(List<TensorType> in, int n) {
        if (in.size() != n) {
            throw new IllegalArgumentException("expects " + n + " input(s), got " + in.size());
        }
    }

    static void floating(TensorType t) {
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException("expects float32, got " + t);
        }
    }

    static void dtype(TensorType t, DType d) {
        if (t.dtype() != d) {
            throw new IllegalArgumentException("expects " + d + ", got " + t);
        }
    }

    static void sameDType(TensorType a, TensorType b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("element types differ: " + a + " and " + b);
        }
    }
}
