package dev.theta.api.reference;

import dev.theta.api.reference.PrimitiveCase.Domain;
import dev.theta.api.reference.PrimitiveCase.InputSpec;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

/** The inputs of primitive cases: value domains (where finite differences are valid) and typed input specs. */
public final class CaseInputs {
    private CaseInputs() {
    }

    /** Uniform in [-2, 2). */
    public static final Domain ANY = r -> r.nextDouble() * 4 - 2;
    /** Uniform in [0.5, 3). */
    public static final Domain POSITIVE = r -> 0.5 + 2.5 * r.nextDouble();
    /** |x| in [0.2, 2), either sign. */
    public static final Domain AWAY_FROM_ZERO = r -> (0.2 + 1.8 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
    /** Within 0.05 of a multiple of 0.5 in [-2, 2]. */
    public static final Domain GRID = r -> 0.5 * (r.nextInt(9) - 4) + 0.1 * r.nextDouble() - 0.05;
    /** Within 0.05 of an odd multiple of 0.25: at least 0.15 from every {@link #GRID} value. */
    public static final Domain GRID_OFFSET = r -> 0.5 * (r.nextInt(9) - 4) + 0.25 + 0.1 * r.nextDouble() - 0.05;
    /** Whole numbers 0..3: ties on purpose. */
    public static final Domain SMALL_INTS = r -> r.nextInt(4);
    /** Fractional part in [0.2, 0.8], so truncation is locally constant. */
    public static final Domain AWAY_FROM_INTEGERS = r -> r.nextInt(7) - 3 + 0.2 + 0.6 * r.nextDouble();
    public static final Domain BOOLS = r -> r.nextBoolean() ? 1 : 0;
    /** Zero a third of the time, otherwise {@link #AWAY_FROM_ZERO}. */
    public static final Domain SOME_ZEROS = r -> r.nextInt(3) == 0 ? 0 : AWAY_FROM_ZERO.draw(r);

    static Domain indices(int bound) {
        return r -> r.nextInt(bound);
    }

    static InputSpec f(String name, Domain d, int... dims) {
        return new InputSpec(name, DType.FLOAT32, Shape.of(dims), d);
    }

    static InputSpec i64(String name, Domain d, int... dims) {
        return new InputSpec(name, DType.INT64, Shape.of(dims), d);
    }

    static InputSpec bool(String name, int... dims) {
        return new InputSpec(name, DType.BOOL, Shape.of(dims), BOOLS);
    }
}
