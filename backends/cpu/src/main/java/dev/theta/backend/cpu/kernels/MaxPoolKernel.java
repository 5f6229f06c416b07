package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.MaxPool;

/**
 * MaxPool over [N, C, H, W]: each window's first maximum (padding never wins; the window's first pixel where none
 * is larger, as with NaN), as a value or, for the gradient, as its flat position in the input (int64, as ONNX
 * Runtime numbers it). The part of each window inside the image
 * is precomputed per output row and column, so the loops over a window test no bounds.
 */
public final class MaxPoolKernel implements Kernel {
    private final Buf x;
    private final Buf y;
    private final boolean indices;
    private final int images;
    private final ConvGeometry rows;
    private final ConvGeometry cols;

    public MaxPoolKernel(MaxPool op, Buf x, int[] xd, Buf y, int[] yd) {
        this.x = x;
        this.y = y;
        this.indices = op.indices();
        this.images = xd[0] * xd[1];
        this.rows = new ConvGeometry(op.window(), 0, xd[2], op.kernelH(), yd[2]);
        this.cols = new ConvGeometry(op.window(), 1, xd[3], op.kernelW(), yd[3]);
    }

    @Override
    public void run() {
        float[] in = x.floats();
        float[] values = indices ? null : y.floats();
        long[] positions = indices ? y.longs() : null;
        int width = cols.in;
        int wo = cols.out;
        int plane = rows.in * width;
        int sh = rows.stride * width;
        int dh = rows.dilation * width;
        int sw = cols.stride;
        int dw = cols.dilation;
        int origin = rows.start[0] * width + cols.start[0];
        int at = 0;
        for (int m = 0; m < images; m++) {
            for (int i = 0; i < rows.out; i++) {
                int a0 = rows.kernelFrom[i];
                int a1 = rows.kernelTo[i];
                int corner = m * plane + i * sh + origin;
                for (int j = 0; j < wo; j++, at++) {
                    int b0 = cols.kernelFrom[j];
                    int b1 = cols.kernelTo[j];
                    int base = corner + j * sw;
                    int where = base + a0 * dh + b0 * dw;
                    float max = in[where];
                    for (int a = a0; a < a1; a++) {
                        int row = base + a * dh;
                        for (int b = b0; b < b1; b++) {
                            int p = row + b * dw;
                            // Selects rather than branches: on real activations the branch is a coin toss.
                            boolean larger = in[p] > max;
                            max = larger ? in[p] : max;
                            where = larger ? p : where;
                        }
                    }
                    if (indices) {
                        positions[at] = where;
                    } else {
                        values[at] = max;
                    }
                }
            }
        }
    }
}
