package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;

import java.util.function.IntConsumer;

/**
 * What the two {@link Winograd} kernels over whole images share, the 3×3 convolution and its input gradient
 * (ConvTranspose): the transformed weights [16][C, O] made on every run, the batch cut into chunks of whole images
 * ({@link ImageChunks}) run on {@link Parallel}'s threads, and per chunk the 16 products [n·tiles, C] · [C, O] of its
 * transformed tiles, in the chunk's heap slice: the tiles, then the products ({@link VectorProducts}: as fast as
 * OpenBLAS on these thin shapes, and no copies off-heap and back, which took 0.4 ms a step each way for the
 * Fashion-MNIST CNN, docs/benchmarks.md). A subclass says where the weights' 3×3 kernels are, how an image becomes
 * transformed tiles and how the products become an output image.
 *
 * <p>Channel counts are rounded up to whole vectors ({@link Winograd#padded}): C as {@link #inStep}, O as
 * {@link #outStep}; the padded weights are zero, so the padded lanes of every product are too.
 */
abstract class WinogradImageKernel implements Kernel {
    /** Below this many input or output channels the 16 products are too thin to pay for the transforms; im2col is used instead. */
    static final int MIN_CHANNELS = 8;

    protected final Buf x;
    protected final Buf y;
    protected final int batch;
    protected final int channels;
    protected final int outChannels;
    protected final int height;
    protected final int width;
    protected final int outHeight;
    protected final int outWidth;
    protected final int padTop;
    protected final int padLeft;
    protected final int tilesH;
    protected final int tilesW;
    protected final int tiles;
    protected final int inStep;
    protected final int outStep;
    protected final ImageChunks chunks;
    protected final int threads;
    private final Buf w;
    /** The transformed weights [16][inStep, outStep], made on every run (the weights change between steps). */
    private final float[] u;
    private final MatMulScratch scratch;
    private final ImageScratch heap;
    private final IntConsumer body;
    private final Parallel.Job job;

    /** {@code gridH × gridW}: the pixels the 2×2 tiles cover (the convolution's output grid). */
    WinogradImageKernel(Buf x, int[] xd, Buf w, Buf y, int[] yd, Window window, int gridH, int gridW, int maxThreads,
                        MatMulScratch scratch, ImageScratch heap) {
        this.x = x;
        this.w = w;
        this.y = y;
        this.batch = xd[0];
        this.channels = xd[1];
        this.outChannels = yd[1];
        this.height = xd[2];
        this.width = xd[3];
        this.outHeight = yd[2];
        this.outWidth = yd[3];
        this.padTop = window.padTop();
        this.padLeft = window.padLeft();
        this.tilesH = Winograd.tiles(gridH);
        this.tilesW = Winograd.tiles(gridW);
        this.tiles = tilesH * tilesW;
        this.inStep = Winograd.padded(channels);
        this.outStep = Winograd.padded(outChannels);
        this.scratch = scratch;
        this.heap = heap;
        this.u = new float[Winograd.POINTS * inStep * outStep];
        int inPerImage = Winograd.POINTS * inStep * tiles;
        int outPerImage = Winograd.POINTS * outStep * tiles;
        this.chunks = new ImageChunks(batch, tiles, inPerImage, 0, 0, inPerImage + outPerImage, maxThreads);
        chunks.require(scratch, heap, 0);
        // Threads by the direct convolution's work, as ConvKernel: the transforms add to the products' share.
        long fmas = (long) outChannels * channels * 9 * batch * gridH * gridW;
        this.threads = fmas >= Blas.MULTITHREAD_MIN_FMAS && chunks.count > 1 ? maxThreads : 1;
        this.body = chunks.laned(this::chunk);
        this.job = chunks.job(threads, body);
    }

    /** Where in w the 3×3 kernel from input channel c to output channel o starts. */
    protected abstract int kernelAt(int c, int o);

    /**
     * Image n's tiles, transformed, every channel: tile t's point ξ at {@code to + t·inStep + ξ·stride} of
     * {@code tiles}; lane k's own buffers may be used.
     */
    protected abstract void transformIn(int k, int n, float[] tiles, int to, int stride);

    /**
     * Image n of the output from its tiles' products: tile t's point ξ at {@code from + t·outStep + ξ·stride}; lane
     * k's own buffers may be used.
     */
    protected abstract void transformOut(int k, int n, float[] products, int from, int stride);

    @Override
    public void run() {
        float[] weights = w.floats();
        int stride = inStep * outStep;
        for (int c = 0; c < channels; c++) {
            for (int o = 0; o < outChannels; o++) {
                Winograd.kernel(weights, kernelAt(c, o), u, c * outStep + o, stride);
            }
        }
        chunks.runPieces(scratch, chunks.count, threads, job, body);
    }

    private void chunk(int k, int lane) {
        int n0 = chunks.from(k);
        int count = chunks.to(k) - n0;
        int columns = count * tiles;
        float[] h = heap.floats();
        int in = chunks.heapOffset(lane);
        int inStride = columns * inStep;
        int out = in + Winograd.POINTS * inStride;
        int outStride = columns * outStep;
        for (int n = 0; n < count; n++) {
            transformIn(lane, n0 + n, h, in + n * tiles * inStep, inStride);
        }
        for (int p = 0; p < Winograd.POINTS; p++) {
            VectorProducts.multiply(h, in + p * inStride, columns, inStep, u, p * inStep * outStep, outStep, h,
                    out + p * outStride);
        }
        for (int n = 0; n < count; n++) {
            transformOut(lane, n0 + n, h, out + n * tiles * outStep, outStride);
        }
    }
}
