package dev.theta.api.spi;

/** How per-example losses become the training objective (PyTorch's {@code reduction}). */
public enum Reduction {
    /** The (weighted) mean over the batch: Σ ℓ_i / Σ w_i, with w_i = 1 unless the loss weighs examples. */
    MEAN("mean"),
    /** The sum over the batch. */
    SUM("sum"),
    /** Per-example values; reported, but a training objective must be a scalar. */
    NONE("none");

    private final String label;

    Reduction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Reduction of(String label) {
        for (Reduction r : values()) {
            if (r.label.equals(label)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown reduction " + label);
    }
}
