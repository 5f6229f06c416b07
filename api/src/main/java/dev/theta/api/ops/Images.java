package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.tensor.Shape;

/** Type checks and output shapes shared by the primitives over NCHW images. */
final class Images {
    private Images() {
    }

    /** A float32 [N, C, H, W] tensor with static H and W; N and C may hold the batch size. */
    static Shape nchw(TensorType t, String what) {
        Checks.floating(t);
        Shape s = t.shape();
        if (s.rank() != 4) {
            throw new IllegalArgumentException(what + " must be [N, C, H, W], got " + s);
        }
        if (Shape.isSymbolic(s.dim(2)) || Shape.isSymbolic(s.dim(3))) {
            throw new IllegalArgumentException(what + " must have static height and width, got " + s);
        }
        return s;
    }

    /** [N, C, Ho, Wo] for a window of the given size over [N, C, H, W]. */
    static Shape pooled(Shape x, int channels, Window window, int kernelH, int kernelW) {
        return Shape.of(x.dim(0), channels, window.outputSize(0, x.dim(2), kernelH),
                window.outputSize(1, x.dim(3), kernelW));
    }

    /** ONNX Runtime refuses pooling pads as wide as the window (a window of padding alone). */
    static void padsInsideKernel(Window window, int kernelH, int kernelW) {
        if (kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException("kernel must be at least 1x1, got " + kernelH + "x" + kernelW);
        }
        if (Math.max(window.padTop(), window.padBottom()) >= kernelH
                || Math.max(window.padLeft(), window.padRight()) >= kernelW) {
            throw new IllegalArgumentException("pads must be smaller than the " + kernelH + "x" + kernelW
                    + " kernel: " + window);
        }
    }
}
