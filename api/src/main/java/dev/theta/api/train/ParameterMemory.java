package dev.theta.api.train;

import dev.theta.api.tensor.Shape;

import java.util.Locale;

/**
 * Counts the parameters a hypothesis declares and refuses, before allocating, a model that cannot train in this
 * JVM: every parameter is held at least twice during a step (its value and its gradient), so parameters whose
 * floats take more than half the heap would only fail later, after seconds of initialisation and a raw
 * out-of-memory. The refusal is an {@link OutOfMemoryError}, reported as every other one is, with the size asked for.
 */
final class ParameterMemory {
    /** Copies of each parameter a training step holds at the least: the value and its gradient. */
    static final int COPIES = 2;

    private final long limitBytes;
    private long floats;

    ParameterMemory(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    /** This JVM's heap limit. */
    static ParameterMemory ofThisJvm() {
        return new ParameterMemory(Runtime.getRuntime().maxMemory());
    }

    /** Counts parameter {@code name} of {@code shape}; throws when the parameters so far cannot train here. */
    void declare(String name, Shape shape) {
        floats += shape.size();
        long bytes = floats * Float.BYTES * COPIES;
        if (limitBytes != Long.MAX_VALUE && bytes > limitBytes) {
            throw new ModelTooLargeError(String.format(Locale.ROOT, "the model's parameters need at least %s: %,d floats"
                    + " by parameter '%s' %s, each held with its gradient, before any optimizer state or activation; the"
                    + " heap holds %s", size(bytes), floats, name, shape, size(limitBytes)));
        }
    }

    static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%d MB", Math.max(1, bytes >> 20));
    }

    /** Parameters that more heap would let train, unlike a {@link dev.theta.api.tensor.TensorTooLargeError}. */
    static final class ModelTooLargeError extends OutOfMemoryError {
        ModelTooLargeError(String message) {
            super(message);
        }
    }
}
