package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.ReduceFn;

import java.util.Arrays;

/**
 * Sum, mean or max over any set of axes. The input is walked in row-major order with the output's strides set to 0
 * on the reduced axes: a row along a reduced axis folds into one output element (in double, with four partial
 * sums in a fixed order, so the result is accurate and the same on every run), and a row along a kept axis combines
 * elementwise into an output row (a vectorised loop, the bias-gradient case {@code sum over axis 0}).
 */
public final class ReduceKernel extends StridedLoop {
    private final ReduceFn fn;
    private final Buf in;
    private final Buf out;
    private final int outSize;
    private final float count;
    private float[] x;
    private float[] y;

    public ReduceKernel(ReduceFn fn, int[] axes, Buf in, int[] inDims, Buf out) {
        super(inDims, new int[][] {reducedStrides(inDims, axes), Strides.rowMajor(inDims)});
        this.fn = fn;
        this.in = in;
        this.out = out;
        int[] kept = inDims.clone();
        for (int a : axes) {
            kept[a] = 1;
        }
        this.outSize = Strides.size(kept);
        this.count = (float) Strides.size(inDims) / Math.max(1, outSize);
    }

    private static int[] reducedStrides(int[] inDims, int[] axes) {
        int[] kept = inDims.clone();
        for (int a : axes) {
            kept[a] = 1;
        }
        int[] s = Strides.rowMajor(kept);
        for (int a : axes) {
            s[a] = 0;
        }
        return s;
    }

    @Override
    protected void begin() {
        x = in.floats();
        y = out.floats();
        Arrays.fill(y, 0, outSize, fn == ReduceFn.MAX ? Float.NEGATIVE_INFINITY : 0f);
    }

    @Override
    protected void row(int[] off) {
        int oo = off[0];
        int io = off[1];
        int n = inner;
        if (innerStride[0] == 0) {
            y[oo] = fn == ReduceFn.MAX ? Math.max(y[oo], max(x, io, n)) : (float) (y[oo] + sum(x, io, n));
        } else if (fn == ReduceFn.MAX) {
            for (int i = 0; i < n; i++) {
                y[oo + i] = Math.max(y[oo + i], x[io + i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                y[oo + i] += x[io + i];
            }
        }
    }

    @Override
    protected void end() {
        if (fn == ReduceFn.MEAN) {
            for (int i = 0; i < outSize; i++) {
                y[i] /= count;
            }
        }
    }

    static double sum(float[] x, int from, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[from + i];
            s1 += x[from + i + 1];
            s2 += x[from + i + 2];
            s3 += x[from + i + 3];
        }
        for (; i < n; i++) {
            s0 += x[from + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static float max(float[] x, int from, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, x[from + i]);
        }
        return m;
    }
}
