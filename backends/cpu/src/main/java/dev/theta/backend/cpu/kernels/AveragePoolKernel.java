package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.AveragePool;

import java.util.Arrays;

/**
 * AveragePool over [N, C, H, W]: each window's sum (in double, in window order) over its count, precomputed per
 * output pixel. Like {@link MaxPoolKernel}, a row of outputs at a time.
 */
public final class AveragePoolKernel implements Kernel {
    private final Buf x;
    private final Buf y;
    private final int images;
    private final ConvGeometry rows;
    private final ConvGeometry cols;
    private final float[] counts;
    private final double[] sums;

    public AveragePoolKernel(AveragePool op, Buf x, int[] xd, Buf y, int[] yd) {
        this.x = x;
        this.y = y;
        this.images = xd[0] * xd[1];
        this.rows = new ConvGeometry(op.window(), 0, xd[2], op.kernelH(), yd[2]);
        this.cols = new ConvGeometry(op.window(), 1, xd[3], op.kernelW(), yd[3]);
        this.counts = op.counts(xd[2], xd[3]);
        this.sums = new double[yd[3]];
    }

    @Override
    public void run() {
        float[] in = x.floats();
        float[] out = y.floats();
        int height = rows.in;
        int width = cols.in;
        int wo = cols.out;
        int at = 0;
        for (int m = 0; m < images; m++) {
            int image = m * height * width;
            for (int i = 0; i < rows.out; i++, at += wo) {
                Arrays.fill(sums, 0);
                for (int ka = rows.kernelFrom[i]; ka < rows.kernelTo[i]; ka++) {
                    int row = image + (i * rows.stride + rows.start[ka]) * width;
                    for (int kb = 0; kb < cols.kernel(); kb++) {
                        int first = row + cols.start[kb];
                        for (int j = cols.from[kb]; j < cols.to[kb]; j++) {
                            sums[j] += in[first + j * cols.stride];
                        }
                    }
                }
                for (int j = 0; j < wo; j++) {
                    out[at + j] = (float) (sums[j] / counts[i * wo + j]);
                }
            }
        }
    }
}
