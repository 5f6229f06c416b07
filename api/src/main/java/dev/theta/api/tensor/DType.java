package dev.theta.api.tensor;

/** Element types of theta tensors, named as in ONNX. */
public enum DType {
    FLOAT32("float32"),
    INT64("int64"),
    /** Stored as 0/1 in float buffers by the CPU backend; a distinct type so that shape checks catch misuse. */
    BOOL("bool");

    private final String label;

    DType(String label) {
        this.label = label;
    }

    public boolean isFloating() {
        return this == FLOAT32;
    }

    @Override
    public String toString() {
        return label;
    }
}
