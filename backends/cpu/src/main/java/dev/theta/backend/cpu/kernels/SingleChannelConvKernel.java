package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Conv of images with one channel (a first layer on grey images) with stride and dilation 1, computed directly: per
 * output row, a vector of output pixels at a time, kH·kW fused multiply-adds of the padded input row shifted by the
 * kernel offset and the broadcast weight, offsets in row-major order. im2col would make a product whose sum is only
 * kH·kW long (9), where sgemm runs far below its speed; here the image's padded copy stays in L1. Images are split
 * over {@link Parallel}'s threads; each output is the same sum on any number of them.
 */
public final class SingleChannelConvKernel implements Kernel {
    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;

    private final Buf x;
    private final Buf w;
    private final Buf y;
    private final int batch;
    private final int outChannels;
    private final int height;
    private final int width;
    private final int kernelH;
    private final int kernelW;
    private final int outHeight;
    private final int outWidth;
    private final int padTop;
    private final int padLeft;
    /** Padded input row: the output row rounded up to whole vectors, plus the kernel's width less one. */
    private final int planeWidth;
    private final int threads;
    /** Every part's own padded image [outHeight + kH − 1, planeWidth], its border zero for good. */
    private final float[][] planes;
    private final VectorMask<Float> tail;
    private final Parallel.Job job;

    /** Whether Conv of x with weights w, the window and group, is one this kernel computes. */
    public static boolean applies(int[] xd, int[] wd, Window window, int group) {
        return xd[1] == 1 && group == 1 && window.strideH() == 1 && window.strideW() == 1 && window.undilated();
    }

    /** Bias and ReLU on each output vector before it is stored, or null. */
    private final Epilogue epilogue;

    public SingleChannelConvKernel(Buf x, int[] xd, Buf w, int[] wd, Buf y, int[] yd, Window window, int maxThreads,
                                   Epilogue epilogue) {
        this.epilogue = epilogue;
        this.x = x;
        this.w = w;
        this.y = y;
        this.batch = xd[0];
        this.outChannels = yd[1];
        this.height = xd[2];
        this.width = xd[3];
        this.kernelH = wd[2];
        this.kernelW = wd[3];
        this.outHeight = yd[2];
        this.outWidth = yd[3];
        this.padTop = window.padTop();
        this.padLeft = window.padLeft();
        int lanes = LANES.length();
        this.planeWidth = (outWidth + lanes - 1) / lanes * lanes + kernelW - 1;
        long fmas = (long) batch * outChannels * outHeight * outWidth * kernelH * kernelW;
        this.threads = fmas >= Blas.MULTITHREAD_MIN_FMAS && batch > 1 ? maxThreads : 1;
        this.planes = new float[threads][(outHeight + kernelH - 1) * planeWidth];
        this.tail = LANES.indexInRange(0, outWidth % lanes == 0 ? lanes : outWidth % lanes);
        this.job = threads > 1 ? new Parallel.Job(threads, this::part) : null;
    }

    @Override
    public String describe() {
        return "Conv " + batch + "x1x" + height + "x" + width + " -> " + outChannels + "x" + outHeight + "x" + outWidth
                + " kernel " + kernelH + "x" + kernelW + ", direct" + Epilogue.describe(epilogue) + ", " + threads
                + " thread(s)";
    }

    @Override
    public void run() {
        if (job != null) {
            Parallel.of(threads).run(job);
        } else {
            part(0);
        }
    }

    private void part(int part) {
        int from = Parallel.start(part, threads, batch, 1);
        int to = Parallel.start(part + 1, threads, batch, 1);
        float[] plane = planes[part];
        float[] in = x.floats();
        float[] weights = w.floats();
        float[] out = y.floats();
        float[] biases = epilogue != null && epilogue.bias() != null ? epilogue.bias().floats() : null;
        boolean relu = epilogue != null && epilogue.relu();
        int lanes = LANES.length();
        int area = kernelH * kernelW;
        int image = outHeight * outWidth;
        // 3×3 on rows at least a vector wide: every input vector loaded once for all output channels.
        boolean shared = kernelH == 3 && kernelW == 3 && outWidth >= lanes;
        for (int n = from; n < to; n++) {
            pad(in, n * height * width, height, width, plane, outHeight + kernelH - 1, planeWidth, padTop, padLeft);
            if (shared) {
                for (int i = 0; i < outHeight; i++) {
                    for (int step = 0; step < outWidth; step += lanes) {
                        everyChannel(plane, weights, out, biases, relu, n, i, Math.min(step, outWidth - lanes));
                    }
                }
                continue;
            }
            for (int o = 0; o < outChannels; o++) {
                int wAt = o * area;
                int dst = (n * outChannels + o) * image;
                FloatVector bias = FloatVector.broadcast(LANES, biases != null ? biases[o] : 0f);
                for (int i = 0; i < outHeight; i++) {
                    // A row at least a vector wide ends with a whole vector that overlaps the one before (the same
                    // values, computed again) rather than a masked one: 10-15 % less time for this kernel on rows of
                    // 28 (StepTimer, one thread).
                    int last = outWidth >= lanes ? outWidth - lanes : -1;
                    for (int step = 0; step < outWidth; step += lanes) {
                        int j = last >= 0 ? Math.min(step, last) : step;
                        FloatVector acc = FloatVector.zero(LANES);
                        for (int a = 0; a < kernelH; a++) {
                            int row = (i + a) * planeWidth + j;
                            for (int b = 0; b < kernelW; b++) {
                                acc = FloatVector.fromArray(LANES, plane, row + b)
                                        .fma(FloatVector.broadcast(LANES, weights[wAt + a * kernelW + b]), acc);
                            }
                        }
                        // As the Add and Relu after the convolution: + b, then max(·, 0) (Math.max's rules, as MAX's).
                        if (biases != null) {
                            acc = acc.add(bias);
                        }
                        if (relu) {
                            acc = acc.max(0f);
                        }
                        if (j + lanes <= outWidth) {
                            acc.intoArray(out, dst + i * outWidth + j);
                        } else {
                            acc.intoArray(out, dst + i * outWidth + j, tail);
                        }
                    }
                }
            }
        }
    }

    /**
     * The output vector at (i, j) of image n for every output channel, from the nine input vectors of its 3×3
     * windows loaded once: each channel's nine fused multiply-adds in the order of the general loop (kernel rows,
     * then columns), so the same bits, and the channels' chains independent of each other where one channel's nine
     * would wait on each other's latency.
     */
    private void everyChannel(float[] plane, float[] weights, float[] out, float[] biases, boolean relu, int n, int i,
                              int j) {
        int p = i * planeWidth + j;
        int q = p + planeWidth;
        int r = q + planeWidth;
        FloatVector x0 = FloatVector.fromArray(LANES, plane, p);
        FloatVector x1 = FloatVector.fromArray(LANES, plane, p + 1);
        FloatVector x2 = FloatVector.fromArray(LANES, plane, p + 2);
        FloatVector x3 = FloatVector.fromArray(LANES, plane, q);
        FloatVector x4 = FloatVector.fromArray(LANES, plane, q + 1);
        FloatVector x5 = FloatVector.fromArray(LANES, plane, q + 2);
        FloatVector x6 = FloatVector.fromArray(LANES, plane, r);
        FloatVector x7 = FloatVector.fromArray(LANES, plane, r + 1);
        FloatVector x8 = FloatVector.fromArray(LANES, plane, r + 2);
        int image = outHeight * outWidth;
        for (int o = 0; o < outChannels; o++) {
            int k = o * 9;
            FloatVector acc = x0.fma(FloatVector.broadcast(LANES, weights[k]), FloatVector.zero(LANES));
            acc = x1.fma(FloatVector.broadcast(LANES, weights[k + 1]), acc);
            acc = x2.fma(FloatVector.broadcast(LANES, weights[k + 2]), acc);
            acc = x3.fma(FloatVector.broadcast(LANES, weights[k + 3]), acc);
            acc = x4.fma(FloatVector.broadcast(LANES, weights[k + 4]), acc);
            acc = x5.fma(FloatVector.broadcast(LANES, weights[k + 5]), acc);
            acc = x6.fma(FloatVector.broadcast(LANES, weights[k + 6]), acc);
            acc = x7.fma(FloatVector.broadcast(LANES, weights[k + 7]), acc);
            acc = x8.fma(FloatVector.broadcast(LANES, weights[k + 8]), acc);
            if (biases != null) {
                acc = acc.add(FloatVector.broadcast(LANES, biases[o]));
            }
            if (relu) {
                acc = acc.max(0f);
            }
            acc.intoArray(out, (n * outChannels + o) * image + i * outWidth + j);
        }
    }

    /**
     * Image {@code image} of {@code in} [height, width] at (padTop, padLeft) of {@code plane} [planeRows, planeWidth];
     * the rest of the plane is the padding, zero from the start and never written. Rows and columns past the plane
     * (pads that cut the image) are not copied.
     */
    static void pad(float[] in, int image, int height, int width, float[] plane, int planeRows, int planeWidth,
                    int padTop, int padLeft) {
        int rows = Math.max(0, Math.min(height, planeRows - padTop));
        int cols = Math.max(0, Math.min(width, planeWidth - padLeft));
        for (int i = 0; i < rows; i++) {
            System.arraycopy(in, image + i * width, plane, (i + padTop) * planeWidth + padLeft, cols);
        }
    }
}
