package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;

/**
 * The index arithmetic of a window sliding over one image axis: which output positions j read input position
 * j·stride + k·dilation − pad inside the image, for each kernel offset k. Precomputed once per kernel.
 */
final class ConvGeometry {
    final int in;
    final int out;
    final int stride;
    /** For kernel offset k: input position of output 0, and the first and last (exclusive) valid output. */
    final int[] start;
    final int[] from;
    final int[] to;

    ConvGeometry(Window window, int axis, int in, int kernel, int out) {
        this.in = in;
        this.out = out;
        this.stride = window.stride(axis);
        start = new int[kernel];
        from = new int[kernel];
        to = new int[kernel];
        for (int k = 0; k < kernel; k++) {
            int s = k * window.dilation(axis) - window.padBegin(axis);
            start[k] = s;
            from[k] = Math.min(out, Math.max(0, Math.floorDiv(-s + stride - 1, stride)));
            to[k] = Math.max(from[k], Math.min(out, Math.floorDiv(in - 1 - s, stride) + 1));
        }
    }

    int kernel() {
        return start.length;
    }
}
