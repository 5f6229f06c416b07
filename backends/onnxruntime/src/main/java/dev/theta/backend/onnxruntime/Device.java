package dev.theta.backend.onnxruntime;

/** Where ONNX Runtime runs a session: the {@code device} option of the {@code onnxruntime} backend. */
public enum Device {
    CPU,
    /** The CUDA execution provider, with no silent fallback of nodes to the CPU. */
    CUDA,
    /** CUDA when its provider starts, otherwise the CPU (logged). */
    AUTO;

    public static Device parse(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
