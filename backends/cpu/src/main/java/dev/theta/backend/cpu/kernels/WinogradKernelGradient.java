package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;
import org.bytedeco.javacpp.FloatPointer;

import java.util.function.IntConsumer;

/**
 * A Conv whose output is 3×3, stride and dilation 1, one group: the form of a 3×3 convolution's kernel gradient
 * ({@code Conv.kernelGradient}: x [C, N, H, W] are the images with batch and channels exchanged, the "kernel"
 * [O, N, Ho, Wo] is the output gradient, the output [C, O, 3, 3]), by {@link Winograd} F(2×2, 3×3) differentiated.
 * The kernel's 2×2 tiles, transformed (A e Aᵀ), and the 4×4 input patches they meet (Bᵀ d B), both laid out with N
 * last (N is the transforms' lanes), give per point a product [C, N·tiles] · [N·tiles, O]ᵀ: 2.25× fewer multiply-adds than im2row's, summed over the long N·tiles side
 * where sgemm is fastest, then Gᵀ r G per (c, o) gives the 3×3 result.
 *
 * <p>The N·tiles side is cut into chunks of whole kernel channels (the convolution's N), run in any order on
 * {@link Parallel}'s threads, each into its own partial sums, which are then added in chunk order: the same bits on
 * any number of threads.
 */
public final class WinogradKernelGradient implements Kernel {
    /** Shortest sum per chunk product: shorter ones leave sgemm's packing the larger part. */
    private static final int MIN_DEPTH = 256;
    /** Sum length of a band's products: its transformed tiles then take ~16·(C + O)·BAND_DEPTH floats. */
    private static final int BAND_DEPTH = 128;

    private final Buf x;
    private final Buf w;
    private final Buf y;
    private final int batch;
    private final int channels;
    private final int outChannels;
    private final int height;
    private final int width;
    private final int kernelH;
    private final int kernelW;
    private final int padTop;
    private final int padLeft;
    private final int tilesW;
    private final int tilesH;
    private final int tiles;
    private final int count;
    private final int perChunk;
    private final float[][] inPlanes;
    private final int inWidth;
    private final float[][] kernelPlanes;
    private final int kernelWidth;
    private final int bandRows;
    private final int heapPerChunk;
    private final long bPerChunk;
    private final int partial;
    private final int threads;
    private final MatMulScratch scratch;
    private final ImageScratch heap;
    private final IntConsumer body;
    private final Parallel.Job job;
    private FloatPointer[][] views;

    /** Whether Conv of x with weights w, the window and group, giving y, is one this kernel computes (and worth it). */
    public static boolean applies(int[] xd, int[] wd, int[] yd, Window window, int group) {
        return group == 1 && yd[2] == 3 && yd[3] == 3 && Winograd.unitSteps(window)
                && xd[0] >= WinogradImageKernel.MIN_CHANNELS && wd[0] >= WinogradImageKernel.MIN_CHANNELS;
    }

    public WinogradKernelGradient(Buf x, int[] xd, Buf w, int[] wd, Buf y, Window window, int maxThreads,
                                  MatMulScratch scratch, ImageScratch heap) {
        this.x = x;
        this.w = w;
        this.y = y;
        this.batch = xd[0];
        this.channels = xd[1];
        this.outChannels = wd[0];
        this.height = xd[2];
        this.width = xd[3];
        this.kernelH = wd[2];
        this.kernelW = wd[3];
        this.padTop = window.padTop();
        this.padLeft = window.padLeft();
        this.tilesH = Winograd.tiles(kernelH);
        this.tilesW = Winograd.tiles(kernelW);
        this.tiles = tilesH * tilesW;
        // Whole vectors of the kernel's channels per chunk (they are the transforms' lanes), enough for MIN_DEPTH.
        int lanes = Winograd.padded(1);
        int vectors = Math.max(1, (MIN_DEPTH + tiles * lanes - 1) / (tiles * lanes));
        this.perChunk = Math.min(Winograd.padded(channels), vectors * lanes);
        this.count = (channels + perChunk - 1) / perChunk;
        // Bands of whole tile rows, summed into the chunk's partial product one after another (sgemm adding), so that
        // a band's transformed tiles stay in cache between their transform and their product.
        this.bandRows = Math.min(tilesH, Math.max(1, BAND_DEPTH / (tilesW * perChunk)));
        this.heapPerChunk = Winograd.POINTS * (batch + outChannels) * perChunk * bandRows * tilesW;
        this.bPerChunk = heapPerChunk;
        this.partial = Winograd.POINTS * batch * outChannels;
        this.scratch = scratch;
        this.heap = heap;
        scratch.require(0, (int) (count * bPerChunk), count * partial);
        heap.require(count * Math.max(heapPerChunk, partial));
        this.inWidth = 2 * tilesW + 2;
        this.inPlanes = new float[count][(2 * tilesH + 2) * inWidth * perChunk];
        this.kernelWidth = 2 * tilesW;
        this.kernelPlanes = new float[count][2 * tilesH * kernelWidth * perChunk];
        long fmas = (long) outChannels * channels * batch * kernelH * kernelW * 9;
        this.threads = fmas >= Blas.MULTITHREAD_MIN_FMAS && count > 1 ? maxThreads : 1;
        this.body = this::chunk;
        this.job = threads > 1 ? new Parallel.Job(count, body) : null;
    }

    @Override
    public String describe() {
        return "Conv " + batch + "x" + channels + "x" + height + "x" + width + " -> " + outChannels + "x3x3 kernel "
                + kernelH + "x" + kernelW + ", Winograd F(2x2,3x3) kernel gradient, " + count + " chunk(s), " + threads
                + " thread(s)";
    }

    @Override
    public void run() {
        if (views == null) {
            views = new FloatPointer[count][];
            for (int k = 0; k < count; k++) {
                views[k] = new FloatPointer[] {new FloatPointer(scratch.b()), new FloatPointer(scratch.b()),
                        new FloatPointer(scratch.c())};
            }
        }
        Parallel.runPieces(job, threads, count, this.body);
        // The chunks' partial sums, added in chunk order, then each (c, o)'s 3×3 result.
        float[] sums = heap.floats();
        scratch.c().position(0).get(sums, 0, count * partial);
        for (int k = 1; k < count; k++) {
            int at = k * partial;
            for (int i = 0; i < partial; i++) {
                sums[i] += sums[at + i];
            }
        }
        float[] out = y.floats();
        int pairs = batch * outChannels;
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < outChannels; o++) {
                Winograd.kernelGradient(sums, o * batch + b, pairs, out, (b * outChannels + o) * 9);
            }
        }
    }

    /**
     * Chunk k: kernel channels [c0, c1), padded to {@link #perChunk} lanes (zeros, in both operands), as the sum
     * index t·perChunk + c − c0 for tile t.
     */
    private void chunk(int k) {
        for (int t0 = 0; t0 < tilesH; t0 += bandRows) {
            band(k, t0, Math.min(tilesH, t0 + bandRows));
        }
    }

    /** Tile rows [t0, t1) of chunk k, its product added to the chunk's partial sums (the first band's sets them). */
    private void band(int k, int t0, int t1) {
        int c0 = k * perChunk;
        int c1 = Math.min(channels, c0 + perChunk);
        int depth = (t1 - t0) * tilesW * perChunk;
        float[] v = heap.floats();
        int vAt = k * heapPerChunk;
        int vStride = batch * depth;
        int tAt = vAt + Winograd.POINTS * vStride;
        int tStride = outChannels * depth;
        float[] plane = inPlanes[k];
        float[] in = x.floats();
        int row = inWidth * perChunk;
        for (int b = 0; b < batch; b++) {
            // The band's patches read padded rows [2·t0, 2·t1 + 2).
            Winograd.toChannelsLast(in, (b * channels + c0) * height * width, c1 - c0, height, width,
                    2 * t0 - padTop, 2 * t1 + 2 - padTop, plane, padTop * row + padLeft * perChunk, row, perChunk);
            int to = vAt + b * depth;
            for (int ti = t0; ti < t1; ti++) {
                for (int tj = 0; tj < tilesW; tj++, to += perChunk) {
                    Winograd.input(plane, 2 * ti * row + 2 * tj * perChunk, row, perChunk, v, to, vStride);
                }
            }
        }
        float[] grid = kernelPlanes[k];
        float[] kernel = w.floats();
        int gridRow = kernelWidth * perChunk;
        for (int o = 0; o < outChannels; o++) {
            Winograd.toChannelsLast(kernel, (o * channels + c0) * kernelH * kernelW, c1 - c0, kernelH, kernelW,
                    2 * t0, 2 * t1, grid, 0, gridRow, perChunk);
            int to = tAt + o * depth;
            for (int ti = t0; ti < t1; ti++) {
                for (int tj = 0; tj < tilesW; tj++, to += perChunk) {
                    Winograd.outputGradient(grid, 2 * ti * gridRow + 2 * tj * perChunk, gridRow, perChunk, v, to,
                            tStride);
                }
            }
        }
        FloatPointer vs = views[k][0];
        FloatPointer ts = views[k][1];
        FloatPointer c = views[k][2];
        long vBase = k * bPerChunk;
        long tBase = vBase + (long) Winograd.POINTS * vStride;
        long cBase = (long) k * partial;
        vs.position(vBase).put(v, vAt, Winograd.POINTS * (vStride + tStride));
        int pairs = batch * outChannels;
        for (int p = 0; p < Winograd.POINTS; p++) {
            vs.position(vBase + (long) p * vStride);
            ts.position(tBase + (long) p * tStride);
            c.position(cBase + (long) p * pairs);
            // [O, depth] · [C, depth]ᵀ rather than the other way round: sgemm runs ~15 % faster with the longer side first.
            Blas.sgemm(false, true, outChannels, batch, depth, ts, depth, vs, depth, t0 > 0, c, batch);
        }
    }
}
