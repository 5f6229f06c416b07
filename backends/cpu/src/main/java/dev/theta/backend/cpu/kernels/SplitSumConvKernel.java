package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;
import org.bytedeco.javacpp.FloatPointer;

import java.nio.FloatBuffer;

import java.util.function.IntConsumer;

/**
 * A Conv of a single image whose kernel is wider than its output: the kernel gradient of a first layer (x is the
 * layer's input [1, N, H, W] with batch and channels exchanged, the kernel its output gradient [O, N, Ho, Wo]),
 * one long product [O, N·kH·kW] · [Ho·Wo, N·kH·kW]ᵀ that {@link ConvKernel}'s chunks of whole images cannot cut.
 * Here the sum is cut instead, into {@value #PARTS} ranges of channels, each im2row'd and multiplied on
 * {@link Parallel}'s threads into its own partial product; the partials are added in part order. The cut depends on
 * the shapes alone: the same bits on any number of threads.
 */
public final class SplitSumConvKernel implements Kernel {
    static final int PARTS = 4;

    private final Buf x;
    private final Buf w;
    private final Buf y;
    private final int channels;
    private final int outChannels;
    private final ConvGeometry rows;
    private final ConvGeometry cols;
    private final int area;
    private final int depth;
    private final int pixels;
    private final int heapPerPart;
    private final int threads;
    private final MatMulScratch scratch;
    private final ImageScratch heap;
    private final IntConsumer body;
    private final Parallel.Job job;
    private FloatPointer[][] views;
    /** Per part, its slice of the off-heap b, where im2row writes its rows. */
    private FloatBuffer[] columns;

    /** Whether Conv of x with weights w giving y, in the group, is one this kernel computes (and worth it). */
    public static boolean applies(int[] xd, int[] wd, int[] yd, int group) {
        long fmas = (long) wd[0] * wd[1] * wd[2] * wd[3] * yd[2] * yd[3];
        return xd[0] == 1 && group == 1 && wd[3] > yd[3] && xd[1] >= PARTS && fmas >= Blas.MULTITHREAD_MIN_FMAS;
    }

    public SplitSumConvKernel(Buf x, int[] xd, Buf w, int[] wd, Buf y, int[] yd, Window window, int maxThreads,
                              MatMulScratch scratch, ImageScratch heap) {
        this.x = x;
        this.w = w;
        this.y = y;
        this.channels = xd[1];
        this.outChannels = yd[1];
        this.rows = new ConvGeometry(window, 0, xd[2], wd[2], yd[2]);
        this.cols = new ConvGeometry(window, 1, xd[3], wd[3], yd[3]);
        this.area = wd[2] * wd[3];
        this.depth = channels * area;
        this.pixels = yd[2] * yd[3];
        int most = (channels + PARTS - 1) / PARTS;
        this.heapPerPart = pixels * most * area;
        this.scratch = scratch;
        this.heap = heap;
        scratch.require(outChannels * depth, PARTS * heapPerPart, PARTS * outChannels * pixels);
        heap.require(PARTS * outChannels * pixels);
        this.threads = maxThreads;
        this.body = this::part;
        this.job = threads > 1 ? new Parallel.Job(PARTS, body) : null;
    }

    @Override
    public String describe() {
        return "Conv 1x" + channels + "x" + rows.in + "x" + cols.in + " -> " + outChannels + "x" + rows.out + "x"
                + cols.out + " kernel " + rows.kernel() + "x" + cols.kernel() + ", the sum in " + PARTS + " parts, "
                + threads + " thread(s)";
    }

    @Override
    public void run() {
        if (views == null) {
            views = new FloatPointer[PARTS][];
            for (int k = 0; k < PARTS; k++) {
                views[k] = new FloatPointer[] {new FloatPointer(scratch.a()), new FloatPointer(scratch.b()),
                        new FloatPointer(scratch.c())};
            }
            columns = new FloatBuffer[PARTS];
            for (int k = 0; k < PARTS; k++) {
                columns[k] = ImageChunks.slice(scratch.b(), (long) k * heapPerPart, heapPerPart);
            }
        }
        scratch.a().position(0).put(w.floats(), 0, outChannels * depth);
        Parallel.runPieces(job, threads, PARTS, this.body);
        int size = outChannels * pixels;
        float[] sums = heap.floats();
        scratch.c().position(0).get(sums, 0, PARTS * size);
        float[] out = y.floats();
        for (int i = 0; i < size; i++) {
            float s = sums[i];
            for (int k = 1; k < PARTS; k++) {
                s += sums[k * size + i];
            }
            out[i] = s;
        }
    }

    private void part(int k) {
        int c0 = Parallel.start(k, PARTS, channels, 1);
        int c1 = Parallel.start(k + 1, PARTS, channels, 1);
        int partDepth = (c1 - c0) * area;
        ConvKernel.im2row(rows, cols, channels, x.floats(), columns[k], 0, 0, 1, c0, c1);
        FloatPointer a = views[k][0];
        FloatPointer b = views[k][1];
        FloatPointer c = views[k][2];
        b.position((long) k * heapPerPart);
        a.position((long) c0 * area);
        c.position((long) k * outChannels * pixels);
        Blas.sgemm(false, true, outChannels, pixels, partDepth, a, depth, b, partDepth, c, pixels);
    }
}
