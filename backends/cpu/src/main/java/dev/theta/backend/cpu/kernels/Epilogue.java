package dev.theta.backend.cpu.kernels;

/**
 * What a convolution kernel does to each output plane it has just written, while the plane is still in cache: add
 * the output channel's bias, then ReLU, as the Add and Relu after the Conv that it stands for would in passes of
 * their own over the whole activation ({@code Schedule}). The same operations in the same order, so the same bits.
 */
public final class Epilogue {
    private final Buf bias;
    private final boolean relu;

    /** @param bias the per-channel bias [O] (any shape of O elements), or null */
    public Epilogue(Buf bias, boolean relu) {
        this.bias = bias;
        this.relu = relu;
    }

    Buf bias() {
        return bias;
    }

    boolean relu() {
        return relu;
    }

    /** Output channel {@code channel}'s plane y[at, at + count). */
    void apply(float[] y, int at, int count, int channel) {
        float b = bias == null ? 0f : bias.floats()[channel];
        if (bias != null && relu) {
            for (int i = at; i < at + count; i++) {
                y[i] = Math.max(y[i] + b, 0f);
            }
        } else if (bias != null) {
            for (int i = at; i < at + count; i++) {
                y[i] = y[i] + b;
            }
        } else if (relu) {
            for (int i = at; i < at + count; i++) {
                y[i] = Math.max(y[i], 0f);
            }
        }
    }

    /** For kernel descriptions: ", + bias, relu" and the like; "" for none. */
    static String describe(Epilogue e) {
        if (e == null) {
            return "";
        }
        return (e.bias != null ? ", + bias" : "") + (e.relu ? ", relu" : "");
    }
}
