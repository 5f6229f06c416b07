package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernel gradient of a first convolution (3×3, unit steps) of single-channel images whose output goes through
 * ReLU and then MaxPool, read straight from the pooling's gradient: the gradient at the convolution's output is u
 * (the update of pooled position q) at q's argmax and 0 elsewhere, masked by ReLU's a > 0, which at the argmax is
 * the pooled value's sign. So dw[o, a, b] = Σ over images n, channels o and pooled positions q whose pooled value is
 * > 0, with argmax (i, j), of u · x[n, 0, i + a − padTop, j + b − padLeft] (0 outside the image).
 *
 * <p>A quarter of a 2×2 pooling's input gets a gradient at all, so this reads the updates, positions and pooled
 * values (N·O·P each) and the images, where the scatter into the activation's shape wrote it whole (four times
 * N·O·P) and a kernel gradient read it again ({@code Schedule#pooledGradients}). A plane's sums are floats, each
 * image's doubles ({@link ImageSums}). Measured on the CNN's first layer (docs/benchmarks.md), the update loop
 * takes ~8 cycles an update with vectors or without; the streams of positions (int64), updates and values bound it
 * on two threads.
 */
public final class PooledGradientKernel implements Kernel {
    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;
    /** A row of a 3×3 patch, and one float more. */
    private static final VectorSpecies<Float> ROW = FloatVector.SPECIES_128;
    /** Below this many updates one thread is done before two start. */
    private static final int PARALLEL_MIN_UPDATES = 1 << 15;
    private static final int TAPS = 9;

    private final Buf x;
    private final Buf positions;
    private final Buf updates;
    private final Buf pooled;
    private final Buf out;
    private final int batch;
    private final int channels;
    private final int height;
    private final int width;
    /** The activation's (convolution output's) plane. */
    private final int planeHeight;
    private final int planeWidth;
    /** Pooled positions per plane. */
    private final int perPlane;
    private final int padTop;
    private final int padLeft;
    private final int threads;
    /** The image padded with zeros: its border is never written. */
    private final int paddedHeight;
    private final int paddedWidth;
    /** Each task's padded image, masked updates and patch corners of one plane. */
    private final float[][] planes;
    private final float[][] maskedUpdates;
    private final int[][] corners;
    /** For each position p of the activation's plane, the patch's corner in the padded image. */
    private final int[] corner;
    private final ImageSums sums;

    /**
     * @param x the images [N, 1, H, W]
     * @param activation the dims [N, O, Ho, Wo] of the convolution's output (the pooling's input)
     * @param pooledDims the dims [N, O, Hp, Wp] of the pooling's output: positions, updates and pooled values
     */
    public PooledGradientKernel(Buf x, int[] xd, Buf positions, Buf updates, Buf pooled, int[] pooledDims,
                                int[] activation, Buf out, int padTop, int padLeft, int maxThreads) {
        this.x = x;
        this.positions = positions;
        this.updates = updates;
        this.pooled = pooled;
        this.out = out;
        this.batch = activation[0];
        this.channels = activation[1];
        this.height = xd[2];
        this.width = xd[3];
        this.planeHeight = activation[2];
        this.planeWidth = activation[3];
        this.perPlane = pooledDims[2] * pooledDims[3];
        this.padTop = padTop;
        this.padLeft = padLeft;
        this.threads = batch * channels * perPlane >= PARALLEL_MIN_UPDATES && batch > 1 ? maxThreads : 1;
        this.sums = new ImageSums(batch, channels * TAPS, threads, this::image);
        // Unit steps: the output plane plus the kernel's reach is the image with both pads.
        this.paddedHeight = planeHeight + 2;
        this.paddedWidth = planeWidth + 2;
        int tasks = sums.tasks();
        this.planes = new float[tasks][paddedHeight * paddedWidth + 1];
        this.maskedUpdates = new float[tasks][perPlane];
        this.corners = new int[tasks][perPlane];
        this.corner = new int[planeHeight * planeWidth];
        for (int p = 0; p < corner.length; p++) {
            corner[p] = p / planeWidth * paddedWidth + p % planeWidth;
        }
    }

    /**
     * Whether a kernel gradient [1, O, kH, kW] of single-channel images with this window is one this computes; call
     * only where {@link VectorApi#AVAILABLE}.
     */
    public static boolean applies(long channels, long kernelH, long kernelW, Window window, int group) {
        return channels == 1 && kernelH == 3 && kernelW == 3 && WeightGradientKernel.applies(window, group);
    }

    @Override
    public String describe() {
        return "Conv kernel gradient " + batch + "x1x" + height + "x" + width + " -> " + channels
                + "x1x3x3, from the MaxPool gradient of " + batch * channels * perPlane + " positions, " + threads
                + " thread(s)";
    }

    @Override
    public void run() {
        sums.run(out.floats());
    }

    /** Image n's nine sums per channel. */
    private void image(int n, int task, double[] to) {
        float[] padded = planes[task];
        SingleChannelConvKernel.pad(x.floats(), n * height * width, height, width, padded, paddedHeight, paddedWidth,
                padTop, padLeft);
        for (int o = 0; o < channels; o++) {
            int plane = n * channels + o;
            int from = plane * perPlane;
            kernelSums(from, from + perPlane, (long) plane * planeHeight * planeWidth, padded, to, plane * TAPS,
                    maskedUpdates[task], corners[task]);
        }
    }

    /**
     * One plane's nine sums: each update times its 3×3 patch of the padded image, a row of the patch a 4-lane vector
     * (its fourth lane unused), two updates at a time into two sets of accumulators so that no chain of adds waits
     * on the one before. The masked updates and the patches' corners are gathered first, in vectors where they can
     * be: a select between floats in the loop below compiled to a branch, mispredicted half the time.
     */
    private void kernelSums(int from, int to, long start, float[] padded, double[] sums, int s, float[] gs,
                            int[] cs) {
        long[] at = positions.longs();
        float[] u = updates.floats();
        float[] v = pooled.floats();
        int count = to - from;
        int q = 0;
        for (; q <= count - LANES.length(); q += LANES.length()) {
            VectorMask<Float> positive = FloatVector.fromArray(LANES, v, from + q).compare(VectorOperators.GT, 0f);
            FloatVector.zero(LANES).blend(FloatVector.fromArray(LANES, u, from + q), positive).intoArray(gs, q);
        }
        for (; q < count; q++) {
            gs[q] = v[from + q] > 0f ? u[from + q] : 0f;
        }
        for (q = 0; q < count; q++) {
            cs[q] = corner[(int) (at[from + q] - start)];
        }
        int w = paddedWidth;
        FloatVector a0 = FloatVector.zero(ROW);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        for (q = 0; q + 1 < count; q += 2) {
            FloatVector g = FloatVector.broadcast(ROW, gs[q]);
            FloatVector h = FloatVector.broadcast(ROW, gs[q + 1]);
            int c = cs[q];
            int d = cs[q + 1];
            a0 = FloatVector.fromArray(ROW, padded, c).fma(g, a0);
            a1 = FloatVector.fromArray(ROW, padded, c + w).fma(g, a1);
            a2 = FloatVector.fromArray(ROW, padded, c + 2 * w).fma(g, a2);
            b0 = FloatVector.fromArray(ROW, padded, d).fma(h, b0);
            b1 = FloatVector.fromArray(ROW, padded, d + w).fma(h, b1);
            b2 = FloatVector.fromArray(ROW, padded, d + 2 * w).fma(h, b2);
        }
        if (q < count) {
            FloatVector g = FloatVector.broadcast(ROW, gs[q]);
            int c = cs[q];
            a0 = FloatVector.fromArray(ROW, padded, c).fma(g, a0);
            a1 = FloatVector.fromArray(ROW, padded, c + w).fma(g, a1);
            a2 = FloatVector.fromArray(ROW, padded, c + 2 * w).fma(g, a2);
        }
        row(a0.add(b0), sums, s);
        row(a1.add(b1), sums, s + 3);
        row(a2.add(b2), sums, s + 6);
    }

    private static void row(FloatVector r, double[] sums, int s) {
        sums[s] = r.lane(0);
        sums[s + 1] = r.lane(1);
        sums[s + 2] = r.lane(2);
    }
}
