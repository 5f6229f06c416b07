package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;
import org.bytedeco.javacpp.FloatPointer;

import java.util.function.IntConsumer;

/**
 * ConvTranspose of x [N, C, H, W] with weights [C, O, 3, 3], stride and dilation 1, one group (a 3×3 convolution's
 * input gradient), by {@link Winograd} F(2×2, 3×3), a chunk of whole images at a time ({@link ImageChunks}): x is
 * read as the output gradient of the convolution whose input is this kernel's output. Each 2×2 tile of x, laid out channels
 * last and transformed (A e Aᵀ), gives [16][n·tiles, C]; times the transformed weights [16][C, O] they give
 * [16][n·tiles, O]; each tile's 4×4 patch B r Bᵀ is added into the padded output image, whose interior is the
 * result.
 */
public final class WinogradConvTransposeKernel implements Kernel {
    private final Buf x;
    private final Buf w;
    private final Buf y;
    private final int batch;
    private final int channels;
    private final int outChannels;
    private final int height;
    private final int width;
    private final int outHeight;
    private final int outWidth;
    private final int padTop;
    private final int padLeft;
    private final int tilesH;
    private final int tilesW;
    private final int tiles;
    /** Input and output channels rounded up to whole vectors ({@link Winograd#padded}). */
    private final int inStep;
    private final int outStep;
    /**
     * Every chunk's own input image in whole tiles, channels last [2·tilesH, 2·tilesW, inStep]: only the image's
     * pixels and channels are written, the rest stays zero.
     */
    private final float[][] inPlanes;
    private final int inWidth;
    /** Every chunk's own padded output image, channels last [2·tilesH + 2, 2·tilesW + 2, outStep], cleared per image. */
    private final float[][] outPlanes;
    private final int outPlaneWidth;
    private final float[][] gradientScratch;
    /** The transformed weights [16][inStep, outStep], made on every run. */
    private final float[] u;
    private final int threads;
    private final MatMulScratch scratch;
    private final ImageScratch heap;
    private final ImageChunks chunks;
    private final IntConsumer body;
    private final Parallel.Job job;

    /** Whether ConvTranspose of x with weights w, the window and group, is one this kernel computes (and worth it). */
    public static boolean applies(int[] xd, int[] wd, Window window, int group) {
        return group == 1 && wd[2] == 3 && wd[3] == 3 && Winograd.unitSteps(window)
                && xd[1] >= WinogradConvKernel.MIN_CHANNELS && wd[1] >= WinogradConvKernel.MIN_CHANNELS;
    }

    public WinogradConvTransposeKernel(Buf x, int[] xd, Buf w, int[] wd, Buf y, int[] yd, Window window,
                                       int maxThreads, MatMulScratch scratch, ImageScratch heap) {
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
        this.tilesH = Winograd.tiles(height);
        this.tilesW = Winograd.tiles(width);
        this.tiles = tilesH * tilesW;
        this.inWidth = 2 * tilesW;
        this.outPlaneWidth = 2 * tilesW + 2;
        this.scratch = scratch;
        this.heap = heap;
        this.inStep = Winograd.padded(channels);
        this.outStep = Winograd.padded(outChannels);
        this.u = new float[Winograd.POINTS * inStep * outStep];
        int tPerImage = Winograd.POINTS * inStep * tiles;
        int rPerImage = Winograd.POINTS * outStep * tiles;
        this.chunks = new ImageChunks(batch, tiles, tPerImage, tPerImage, rPerImage, Math.max(tPerImage, rPerImage));
        chunks.require(scratch, heap, u.length);
        this.inPlanes = new float[chunks.count][2 * tilesH * inWidth * inStep];
        this.outPlanes = new float[chunks.count][(2 * tilesH + 2) * outPlaneWidth * outStep];
        this.gradientScratch = new float[chunks.count][Winograd.gradientScratch()];
        long fmas = (long) outChannels * channels * 9 * batch * height * width;
        this.threads = fmas >= Blas.MULTITHREAD_MIN_FMAS && chunks.count > 1 ? maxThreads : 1;
        this.body = this::chunk;
        this.job = chunks.job(threads, body);
    }

    @Override
    public String describe() {
        return "ConvTranspose " + batch + "x" + channels + "x" + height + "x" + width + " -> " + outChannels + "x"
                + outHeight + "x" + outWidth + " kernel 3x3, Winograd F(2x2,3x3), " + chunks.count + " chunk(s), "
                + threads + " thread(s)";
    }

    @Override
    public void run() {
        float[] weights = w.floats();
        int stride = inStep * outStep;
        for (int c = 0; c < channels; c++) {
            for (int o = 0; o < outChannels; o++) {
                Winograd.kernel(weights, (c * outChannels + o) * 9, u, c * outStep + o, stride);
            }
        }
        chunks.run(scratch, u, u.length, threads, job, body);
    }

    private void chunk(int k) {
        int n0 = chunks.from(k);
        int count = chunks.to(k) - n0;
        int columns = count * tiles;
        float[] t = heap.floats();
        int offset = chunks.heapOffset(k);
        float[] plane = inPlanes[k];
        float[] in = x.floats();
        int row = inWidth * inStep;
        int tStride = columns * inStep;
        for (int n = 0; n < count; n++) {
            Winograd.toChannelsLast(in, (n0 + n) * channels * height * width, channels, height, width, plane, 0, row,
                    inStep);
            int to = offset + n * tiles * inStep;
            for (int ti = 0; ti < tilesH; ti++) {
                for (int tj = 0; tj < tilesW; tj++, to += inStep) {
                    Winograd.outputGradient(plane, 2 * ti * row + 2 * tj * inStep, row, inStep, t, to, tStride);
                }
            }
        }
        FloatPointer[] views = chunks.views(k);
        FloatPointer weights = views[0];
        FloatPointer b = views[1];
        FloatPointer c = views[2];
        long bBase = chunks.bOffset(k);
        long cBase = chunks.cOffset(k);
        b.position(bBase).put(t, offset, Winograd.POINTS * tStride);
        int rStride = columns * outStep;
        for (int p = 0; p < Winograd.POINTS; p++) {
            weights.position((long) p * inStep * outStep);
            b.position(bBase + (long) p * tStride);
            c.position(cBase + (long) p * rStride);
            Blas.sgemm(false, false, columns, outStep, inStep, b, inStep, weights, outStep, c, outStep);
        }
        c.position(cBase).get(t, offset, Winograd.POINTS * rStride);
        float[] out = y.floats();
        float[] acc = outPlanes[k];
        float[] scratch = gradientScratch[k];
        int accRow = outPlaneWidth * outStep;
        for (int n = 0; n < count; n++) {
            java.util.Arrays.fill(acc, 0f);
            int from = offset + n * tiles * outStep;
            for (int ti = 0; ti < tilesH; ti++) {
                for (int tj = 0; tj < tilesW; tj++, from += outStep) {
                    Winograd.addInputGradient(t, from, rStride, acc, 2 * ti * accRow + 2 * tj * outStep, accRow,
                            outStep, scratch);
                }
            }
            Winograd.fromChannelsLast(acc, padTop * accRow + padLeft * outStep, accRow, outStep, outChannels,
                    outHeight, outWidth, out, (n0 + n) * outChannels * outHeight * outWidth);
        }
    }
}
