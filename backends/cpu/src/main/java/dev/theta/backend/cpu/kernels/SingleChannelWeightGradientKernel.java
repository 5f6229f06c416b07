package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernel gradient of a 3×3, unit-step convolution of single-channel images (a first layer on grey images),
 * directly: dw[o, a, b] = Σ over images n and output pixels (i, j) of g[n, o, i, j] · x[n, i + a − pad, j + b − pad].
 * Per image, pair of output channels and kernel row, six vector accumulators, one per channel and kernel offset,
 * take a vector of g along an output row times the padded image row shifted by the offset
 * ({@link SingleChannelConvKernel}'s layout); each image's nine sums per channel go to doubles, which are added in image order at the end. {@link WeightGradientKernel}'s product
 * would have only nine columns, and its copies of g and of the columns cost more than these multiply-adds. Images are
 * split over {@link Parallel}'s threads; every sum is the same on any number of them.
 */
public final class SingleChannelWeightGradientKernel implements Kernel {
    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;
    private static final int AREA = 9;

    private final Buf x;
    private final Buf g;
    private final Buf out;
    private final int batch;
    private final int outChannels;
    private final int height;
    private final int width;
    private final int outHeight;
    private final int outWidth;
    private final int padTop;
    private final int padLeft;
    /** Padded input row: the output row rounded up to whole vectors, plus 2. */
    private final int planeWidth;
    private final int threads;
    /** Every part's own padded image [outHeight + 2, planeWidth], its border zero for good. */
    private final float[][] planes;
    /** Every part's own lanes of one accumulator, read back for the sum in double. */
    private final float[][] lanes;
    /** Per image, output channel and kernel offset: its sum. */
    private final double[] sums;
    private final VectorMask<Float> tail;
    /** For rows at least a vector wide: the lanes of the row's last whole vector that the one before counted. */
    private final VectorMask<Float> counted;
    private final Parallel.Job job;

    /** Whether the kernel gradient [1, O, kH, kW] of a convolution with this window and group is one. */
    public static boolean applies(int[] xd, int[] outDims, Window window, int group) {
        return xd[1] == 1 && outDims[2] == 3 && outDims[3] == 3 && WeightGradientKernel.applies(window, group);
    }

    /** x [N, 1, H, W], g [N, O, Ho, Wo]; out [1, O, 3, 3]. */
    public SingleChannelWeightGradientKernel(Buf x, int[] xd, Buf g, int[] gd, Buf out, Window window,
                                             int maxThreads) {
        this.x = x;
        this.g = g;
        this.out = out;
        this.batch = xd[0];
        this.outChannels = gd[1];
        this.height = xd[2];
        this.width = xd[3];
        this.outHeight = gd[2];
        this.outWidth = gd[3];
        this.padTop = window.padTop();
        this.padLeft = window.padLeft();
        int l = LANES.length();
        this.planeWidth = (outWidth + l - 1) / l * l + 2;
        long fmas = (long) batch * outChannels * outHeight * outWidth * AREA;
        this.threads = fmas >= Blas.MULTITHREAD_MIN_FMAS && batch > 1 ? maxThreads : 1;
        this.planes = new float[threads][(outHeight + 2) * planeWidth];
        this.lanes = new float[threads][l];
        this.sums = new double[batch * outChannels * AREA];
        this.tail = LANES.indexInRange(0, outWidth % l == 0 ? l : outWidth % l);
        this.counted = LANES.indexInRange(0, outWidth % l == 0 ? 0 : l - outWidth % l);
        this.job = threads > 1 ? new Parallel.Job(threads, this::part) : null;
    }

    @Override
    public String describe() {
        return "Conv kernel gradient " + batch + "x1x" + height + "x" + width + ", g " + outChannels + "x" + outHeight
                + "x" + outWidth + " -> " + outChannels + "x1x3x3, direct, " + threads + " thread(s)";
    }

    @Override
    public void run() {
        if (job != null) {
            Parallel.of(threads).run(job);
        } else {
            part(0);
        }
        float[] y = out.floats();
        for (int o = 0; o < outChannels; o++) {
            for (int k = 0; k < AREA; k++) {
                double s = 0;
                for (int n = 0; n < batch; n++) {
                    s += sums[(n * outChannels + o) * AREA + k];
                }
                y[o * AREA + k] = (float) s;
            }
        }
    }

    private void part(int part) {
        int from = Parallel.start(part, threads, batch, 1);
        int to = Parallel.start(part + 1, threads, batch, 1);
        float[] plane = planes[part];
        float[] in = x.floats();
        for (int n = from; n < to; n++) {
            SingleChannelConvKernel.pad(in, n * height * width, height, width, plane, outHeight + 2, planeWidth, padTop,
                    padLeft);
            for (int o = 0; o < outChannels; o += 2) {
                // An odd last channel pairs with itself: both halves write its own sums, the same values.
                int pair = o + 1 < outChannels ? 1 : 0;
                for (int a = 0; a < 3; a++) {
                    kernelRows(plane, (n * outChannels + o) * outHeight * outWidth, pair * outHeight * outWidth, a,
                            (n * outChannels + o) * AREA + 3 * a, pair * AREA, lanes[part]);
                }
            }
        }
    }

    /**
     * The three sums of kernel row a for two output channels at once, whose planes of g start at {@code at} and
     * {@code at + next}, into sums[to, to + 3) and sums[to + toNext, to + toNext + 3): six chains of fused
     * multiply-adds, one per channel and kernel offset (three would leave their 4-cycle latency idle), and one load
     * of the image for both. More accumulators in one loop made C2 box them.
     */
    private void kernelRows(float[] plane, int at, int next, int a, int to, int toNext, float[] own) {
        float[] gs = g.floats();
        int l = LANES.length();
        int overlap = outWidth >= l && outWidth % l != 0 ? l - outWidth % l : -1;
        FloatVector s0 = FloatVector.zero(LANES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector t0 = s0;
        FloatVector t1 = s0;
        FloatVector t2 = s0;
        for (int i = 0; i < outHeight; i++) {
            int row = at + i * outWidth;
            int p = (i + a) * planeWidth;
            for (int step = 0; step < outWidth; step += l) {
                // The row's last vector: where the row is at least a vector wide, the whole vector that ends with
                // the row, its lanes already counted zeroed (as SingleChannelConvKernel's rows end); otherwise
                // masked.
                int j = overlap >= 0 ? Math.min(step, outWidth - l) : step;
                boolean whole = step + l <= outWidth;
                FloatVector u = !whole && overlap < 0 ? FloatVector.fromArray(LANES, gs, row + j, tail)
                        : FloatVector.fromArray(LANES, gs, row + j);
                FloatVector v = !whole && overlap < 0 ? FloatVector.fromArray(LANES, gs, row + next + j, tail)
                        : FloatVector.fromArray(LANES, gs, row + next + j);
                if (!whole && overlap >= 0) {
                    u = u.blend(0f, counted);
                    v = v.blend(0f, counted);
                }
                FloatVector x0 = FloatVector.fromArray(LANES, plane, p + j);
                FloatVector x1 = FloatVector.fromArray(LANES, plane, p + j + 1);
                FloatVector x2 = FloatVector.fromArray(LANES, plane, p + j + 2);
                s0 = x0.fma(u, s0);
                s1 = x1.fma(u, s1);
                s2 = x2.fma(u, s2);
                t0 = x0.fma(v, t0);
                t1 = x1.fma(v, t1);
                t2 = x2.fma(v, t2);
            }
        }
        sums[to] = laneSum(s0, own);
        sums[to + 1] = laneSum(s1, own);
        sums[to + 2] = laneSum(s2, own);
        sums[to + toNext] = laneSum(t0, own);
        sums[to + toNext + 1] = laneSum(t1, own);
        sums[to + toNext + 2] = laneSum(t2, own);
    }

    /** The lanes of v added in double, in lane order. */
    private static double laneSum(FloatVector v, float[] own) {
        v.intoArray(own, 0);
        double s = 0;
        for (float f : own) {
            s += f;
        }
        return s;
    }
}
