package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;

/**
 * The index arithmetic of a window sliding over one image axis: output position j reads input position
 * j·stride + k·dilation − pad for kernel offset k; which (j, k) land inside the image, as ranges of j for each k and
 * of k for each j. Precomputed once per kernel.
 */
final class ConvGeometry {
    final int in;
    final int out;
    final int stride;
    final int dilation;
    /** For kernel offset k: input position of output 0, and the first and last (exclusive) valid output. */
    final int[] start;
    final int[] from;
    final int[] to;
    /** For output position j: the first and last (exclusive) kernel offset inside the image. */
    final int[] kernelFrom;
    final int[] kernelTo;

    ConvGeometry(Window window, int axis, int in, int kernel, int out) {
        this.in = in;
        this.out = out;
        this.stride = window.stride(axis);
        this.dilation = window.dilation(axis);
        start = new int[kernel];
        from = new int[kernel];
        to = new int[kernel];
        for (int k = 0; k < kernel; k++) {
            int s = k * window.dilation(axis) - window.padBegin(axis);
            start[k] = s;
            from[k] = Math.min(out, Math.max(0, Math.floorDiv(-s + stride - 1, stride)));
            to[k] = Math.max(from[k], Math.min(out, Math.floorDiv(in - 1 - s, stride) + 1));
        }
        kernelFrom = new int[out];
        kernelTo = new int[out];
        int pad = window.padBegin(axis);
        for (int j = 0; j < out; j++) {
            int s = j * stride - pad;
            kernelFrom[j] = Math.min(kernel, Math.max(0, Math.floorDiv(-s + dilation - 1, dilation)));
            kernelTo[j] = Math.max(kernelFrom[j], Math.min(kernel, Math.floorDiv(in - 1 - s, dilation) + 1));
        }
    }

    int kernel() {
        return start.length;
    }

    /** Whether every window lies wholly inside the image (padding, if any, is never read). */
    boolean inside() {
        for (int j = 0; j < out; j++) {
            if (kernelFrom[j] != 0 || kernelTo[j] != kernel()) {
                return false;
            }
        }
        return true;
    }
}
