package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.ReduceFn;

import java.util.Arrays;

/**
 * Sum, mean or max over any set of axes. The input is walked in row-major order with the output's strides set to 0
 * on the reduced axes: a row along a reduced axis folds into one output element (in double, with four partial
 * sums in a fixed order, so the result is accurate and the same on every run), and a row along a kept axis combines
 * elementwise into an output row (a vectorised loop, the bias-gradient case {@code sum over axis 0}).
 *
 * <p>A large sum whose rows each fold into one element (a convolution's bias gradient, over N, H and W) runs by rows
 * instead: every row's sum in double (on the vector API, float partials per lane added in double), the rows split
 * over threads in fixed ranges, then the row sums added into their outputs in double, in row order, on one thread.
 * Each row's sum and their order are the same for any thread count.
 */
public final class ReduceKernel extends StridedLoop {
    /** Below this many input elements the row-by-row walk is as fast. */
    private static final int ROWS_MIN_SIZE = 1 << 16;

    private final ReduceFn fn;
    private final Buf in;
    private final Buf out;
    private final int outSize;
    private final float count;
    private float[] x;
    private float[] y;
    /** For the rows path: each row's output and input offsets, its sum, the outputs' sums; else null. */
    private final int[] rowOut;
    private final int[] rowIn;
    private final double[] rowSums;
    private final double[] outSums;
    private final float[][] lanes;
    private final int threads;
    private final Parallel.Job ranges;

    public ReduceKernel(ReduceFn fn, int[] axes, Buf in, int[] inDims, Buf out, int maxThreads) {
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
        boolean byRows = fn != ReduceFn.MAX && innerStride[0] == 0 && rowCount() > 1
                && Strides.size(inDims) >= ROWS_MIN_SIZE;
        this.rowOut = byRows ? rowOffsets(0) : null;
        this.rowIn = byRows ? rowOffsets(1) : null;
        this.rowSums = byRows ? new double[rowCount()] : null;
        this.outSums = byRows ? new double[outSize] : null;
        this.threads = byRows ? Math.max(1, Math.min(maxThreads, rowCount())) : 1;
        this.lanes = new float[threads][byRows && VectorApi.AVAILABLE ? VectorMath.lanes() : 0];
        this.ranges = threads > 1 ? new Parallel.Job(threads, this::sumRows) : null;
    }

    @Override
    public String describe() {
        return "Reduce " + fn + (rowOut != null ? " by rows, " + rowOut.length + " rows of " + inner + ", " + threads
                + " thread(s)" : "");
    }

    @Override
    public void run() {
        if (rowOut == null) {
            walk();
            return;
        }
        x = in.floats();
        y = out.floats();
        if (ranges != null) {
            Parallel.of(threads).run(ranges);
        } else {
            sumRows(0);
        }
        Arrays.fill(outSums, 0);
        for (int r = 0; r < rowOut.length; r++) {
            outSums[rowOut[r]] += rowSums[r];
        }
        for (int i = 0; i < outSize; i++) {
            y[i] = fn == ReduceFn.MEAN ? (float) (outSums[i] / count) : (float) outSums[i];
        }
    }

    private void sumRows(int part) {
        int from = Parallel.start(part, threads, rowIn.length, 1);
        int to = Parallel.start(part + 1, threads, rowIn.length, 1);
        float[] own = lanes[part];
        for (int r = from; r < to; r++) {
            rowSums[r] = VectorApi.AVAILABLE ? VectorMath.sum(x, rowIn[r], inner, own) : sum(x, rowIn[r], inner);
        }
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
