package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.MaxPool;

/**
 * MaxPool over [N, C, H, W]: each window's first maximum (padding never wins), as a value or, for the gradient,
 * as its flat position in the input (int64, as ONNX Runtime numbers it).
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
        int height = rows.in;
        int width = cols.in;
        int at = 0;
        for (int m = 0; m < images; m++) {
            int image = m * height * width;
            for (int i = 0; i < rows.out; i++) {
                for (int j = 0; j < cols.out; j++, at++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int where = -1;
                    for (int ka = 0; ka < rows.kernel(); ka++) {
                        if (i < rows.from[ka] || i >= rows.to[ka]) {
                            continue;
                        }
                        int row = image + (i * rows.stride + rows.start[ka]) * width;
                        for (int kb = 0; kb < cols.kernel(); kb++) {
                            if (j >= cols.from[kb] && j < cols.to[kb]) {
                                int p = row + j * cols.stride + cols.start[kb];
                                if (in[p] > best) {
                                    best = in[p];
                                    where = p;
                                }
                            }
                        }
                    }
                    if (indices) {
                        positions[at] = where;
                    } else {
                        values[at] = best;
                    }
                }
            }
        }
    }
}
