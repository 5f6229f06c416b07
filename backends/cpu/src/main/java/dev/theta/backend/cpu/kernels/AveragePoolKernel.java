package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.AveragePool;

/** AveragePool over [N, C, H, W]: each window's sum (in double) over its count, precomputed per output pixel. */
public final class AveragePoolKernel implements Kernel {
    private final Buf x;
    private final Buf y;
    private final int images;
    private final ConvGeometry rows;
    private final ConvGeometry cols;
    private final float[] counts;

    public AveragePoolKernel(AveragePool op, Buf x, int[] xd, Buf y, int[] yd) {
        this.x = x;
        this.y = y;
        this.images = xd[0] * xd[1];
        this.rows = new ConvGeometry(op.window(), 0, xd[2], op.kernelH(), yd[2]);
        this.cols = new ConvGeometry(op.window(), 1, xd[3], op.kernelW(), yd[3]);
        this.counts = op.counts(xd[2], xd[3]);
    }

    @Override
    public void run() {
        float[] in = x.floats();
        float[] out = y.floats();
        int height = rows.in;
        int width = cols.in;
        int at = 0;
        for (int m = 0; m < images; m++) {
            int image = m * height * width;
            for (int i = 0, pixel = 0; i < rows.out; i++) {
                for (int j = 0; j < cols.out; j++, at++, pixel++) {
                    double sum = 0;
                    for (int ka = 0; ka < rows.kernel(); ka++) {
                        if (i < rows.from[ka] || i >= rows.to[ka]) {
                            continue;
                        }
                        int row = image + (i * rows.stride + rows.start[ka]) * width;
                        for (int kb = 0; kb < cols.kernel(); kb++) {
                            if (j >= cols.from[kb] && j < cols.to[kb]) {
                                sum += in[row + j * cols.stride + cols.start[kb]];
                            }
                        }
                    }
                    out[at] = (float) (sum / counts[pixel]);
                }
            }
        }
    }
}
