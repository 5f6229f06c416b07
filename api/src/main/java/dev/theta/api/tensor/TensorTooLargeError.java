package dev.theta.api.tensor;

/**
 * A tensor asked for with more elements than one Java array holds: an {@link OutOfMemoryError}, as the JVM's own
 * "Requested array size exceeds VM limit" is, but one that more heap does not cure.
 */
public final class TensorTooLargeError extends OutOfMemoryError {
    public TensorTooLargeError(String message) {
        super(message);
    }
}
