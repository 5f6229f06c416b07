package dev.theta.api.reference;

import dev.theta.api.ops.Reduce;
import dev.theta.api.ops.ReduceFn;

import java.util.Arrays;

/** The reference's reductions, matrix products and log-softmax in double precision, on row-major arrays. */
final class ReferenceAlgebra {
    private ReferenceAlgebra() {
    }

    static double[] reduce(Reduce red, double[] x, int[] in, int[] out) {
        boolean[] reduced = new boolean[in.length];
        for (int a : red.axes()) {
            reduced[a] = true;
        }
        int[] kept = new int[in.length];
        int reducedCount = 1;
        for (int d = 0; d < in.length; d++) {
            kept[d] = reduced[d] ? 1 : in[d];
            reducedCount *= reduced[d] ? in[d] : 1;
        }
        double[] r = new double[Indexing.count(out)];
        Arrays.fill(r, red.fn().identity());
        for (int i = 0; i < x.length; i++) {
            int[] idx = Indexing.unravel(i, in);
            for (int d = 0; d < in.length; d++) {
                if (reduced[d]) {
                    idx[d] = 0;
                }
            }
            int o = Indexing.ravel(idx, kept);
            r[o] = switch (red.fn()) {
                case SUM, MEAN -> r[o] + x[i];
                case MAX -> Math.max(r[o], x[i]);
            };
        }
        if (red.fn() == ReduceFn.MEAN) {
            for (int o = 0; o < r.length; o++) {
                r[o] /= reducedCount;
            }
        }
        return r;
    }

    /** A stack of products over the batch axes of {@code out}, each operand's batch axes broadcast to them. */
    static double[] matMul(double[] a, int[] ad, double[] b, int[] bd, int[] out) {
        int r = out.length;
        int rows = out[r - 2];
        int cols = out[r - 1];
        int inner = ad[ad.length - 1];
        int[] batchDims = Arrays.copyOf(out, r - 2);
        int[] aBatch = Arrays.copyOf(ad, ad.length - 2);
        int[] bBatch = Arrays.copyOf(bd, bd.length - 2);
        double[] y = new double[Indexing.count(out)];
        for (int s = 0; s < Indexing.count(batchDims); s++) {
            int[] idx = Indexing.unravel(s, batchDims);
            int ao = Indexing.broadcastIndex(idx, aBatch) * rows * inner;
            int bo = Indexing.broadcastIndex(idx, bBatch) * inner * cols;
            int yo = s * rows * cols;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double sum = 0;
                    for (int k = 0; k < inner; k++) {
                        sum += a[ao + i * inner + k] * b[bo + k * cols + j];
                    }
                    y[yo + i * cols + j] = sum;
                }
            }
        }
        return y;
    }

    static double[] logSoftmax(double[] x, int[] dims, int axis) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int[] idx = Indexing.unravel(i, dims);
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < dims[axis]; k++) {
                idx[axis] = k;
                max = Math.max(max, x[Indexing.ravel(idx, dims)]);
            }
            double sum = 0;
            for (int k = 0; k < dims[axis]; k++) {
                idx[axis] = k;
                sum += Math.exp(x[Indexing.ravel(idx, dims)] - max);
            }
            r[i] = x[i] - max - Math.log(sum);
        }
        return r;
    }
}
