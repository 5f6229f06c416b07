package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;
import org.bytedeco.javacpp.FloatPointer;

import java.util.function.IntConsumer;

/**
 * Conv of x [N, C, H, W] with a 3×3 kernel, stride and dilation 1, one group, by {@link Winograd} F(2×2, 3×3), a
 * chunk of whole images at a time ({@link ImageChunks}): each image, padded and laid out channels last, gives its
 * tiles' transformed patches [16][n·tiles, C]; times the transformed weights [16][C, O] they give [16][n·tiles, O]
 * (16 sgemm calls, the tiles as the long side), and each tile's output is read back from its 16 points, all
 * channels at once. 2.25× fewer multiply-adds than im2col's product, for
 * additions in the transforms: worth it where the product is large (both channel counts at least {@link #MIN_CHANNELS}).
 */
public final class WinogradConvKernel implements Kernel {
    /** Below this many input or output channels the 16 products are too thin for sgemm; im2col is used instead. */
    static final int MIN_CHANNELS = 8;

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
     * Every chunk's own padded input image, channels last [2·tilesH + 2, 2·tilesW + 2, inStep]: only the image's
     * pixels and channels are written, its border and padded channels stay zero.
     */
    private final float[][] planes;
    private final int planeWidth;
    /** Every chunk's own output image, channels last, in whole tiles [2·tilesH, 2·tilesW, outStep]. */
    private final float[][] outputs;
    /** The transformed weights [16][inStep, outStep], made on every run (the weights change between steps). */
    private final float[] u;
    private final int threads;
    private final MatMulScratch scratch;
    private final ImageScratch heap;
    private final ImageChunks chunks;
    private final IntConsumer body;
    private final Parallel.Job job;

    /** Whether Conv of x with weights w, the window and group, is one this kernel computes (and worth it). */
    public static boolean applies(int[] xd, int[] wd, Window window, int group) {
        return group == 1 && wd[2] == 3 && wd[3] == 3 && Winograd.unitSteps(window) && xd[1] >= MIN_CHANNELS
                && wd[0] >= MIN_CHANNELS;
    }

    public WinogradConvKernel(Buf x, int[] xd, Buf w, int[] wd, Buf y, int[] yd, Window window, int maxThreads,
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
        this.tilesH = Winograd.tiles(outHeight);
        this.tilesW = Winograd.tiles(outWidth);
        this.tiles = tilesH * tilesW;
        this.planeWidth = 2 * tilesW + 2;
        this.scratch = scratch;
        this.heap = heap;
        this.inStep = Winograd.padded(channels);
        this.outStep = Winograd.padded(outChannels);
        this.u = new float[Winograd.POINTS * inStep * outStep];
        int vPerImage = Winograd.POINTS * inStep * tiles;
        int mPerImage = Winograd.POINTS * outStep * tiles;
        this.chunks = new ImageChunks(batch, tiles, vPerImage, vPerImage, mPerImage, Math.max(vPerImage, mPerImage));
        chunks.require(scratch, heap, u.length);
        this.planes = new float[chunks.count][(2 * tilesH + 2) * planeWidth * inStep];
        this.outputs = new float[chunks.count][4 * tiles * outStep];
        // Threads by the direct convolution's work, as ConvKernel: the transforms add to the products' share.
        long fmas = (long) outChannels * channels * 9 * batch * outHeight * outWidth;
        this.threads = fmas >= Blas.MULTITHREAD_MIN_FMAS && chunks.count > 1 ? maxThreads : 1;
        this.body = this::chunk;
        this.job = chunks.job(threads, body);
    }

    @Override
    public String describe() {
        return "Conv " + batch + "x" + channels + "x" + height + "x" + width + " -> " + outChannels + "x" + outHeight
                + "x" + outWidth + " kernel 3x3, Winograd F(2x2,3x3), " + chunks.count + " chunk(s), " + threads
                + " thread(s)";
    }

    @Override
    public void run() {
        float[] weights = w.floats();
        int stride = inStep * outStep;
        for (int o = 0; o < outChannels; o++) {
            for (int c = 0; c < channels; c++) {
                Winograd.kernel(weights, (o * channels + c) * 9, u, c * outStep + o, stride);
            }
        }
        chunks.run(scratch, u, u.length, threads, job, body);
    }

    private void chunk(int k) {
        int n0 = chunks.from(k);
        int count = chunks.to(k) - n0;
        int columns = count * tiles;
        float[] v = heap.floats();
        int offset = chunks.heapOffset(k);
        float[] plane = planes[k];
        float[] in = x.floats();
        int row = planeWidth * inStep;
        int vStride = columns * inStep;
        for (int n = 0; n < count; n++) {
            Winograd.toChannelsLast(in, (n0 + n) * channels * height * width, channels, height, width, plane,
                    padTop * row + padLeft * inStep, row, inStep);
            int to = offset + n * tiles * inStep;
            for (int ti = 0; ti < tilesH; ti++) {
                for (int tj = 0; tj < tilesW; tj++, to += inStep) {
                    Winograd.input(plane, 2 * ti * row + 2 * tj * inStep, row, inStep, v, to, vStride);
                }
            }
        }
        FloatPointer[] views = chunks.views(k);
        FloatPointer weights = views[0];
        FloatPointer b = views[1];
        FloatPointer c = views[2];
        long bBase = chunks.bOffset(k);
        long cBase = chunks.cOffset(k);
        b.position(bBase).put(v, offset, Winograd.POINTS * vStride);
        int mStride = columns * outStep;
        for (int p = 0; p < Winograd.POINTS; p++) {
            weights.position((long) p * inStep * outStep);
            b.position(bBase + (long) p * vStride);
            c.position(cBase + (long) p * mStride);
            Blas.sgemm(false, false, columns, outStep, inStep, b, inStep, weights, outStep, c, outStep);
        }
        c.position(cBase).get(v, offset, Winograd.POINTS * mStride);
        float[] out = y.floats();
        float[] image = outputs[k];
        int outRow = 2 * tilesW * outStep;
        for (int n = 0; n < count; n++) {
            int from = offset + n * tiles * outStep;
            for (int ti = 0; ti < tilesH; ti++) {
                for (int tj = 0; tj < tilesW; tj++, from += outStep) {
                    Winograd.output(v, from, mStride, image, 2 * ti * outRow + 2 * tj * outStep, outRow, outStep);
                }
            }
            Winograd.fromChannelsLast(image, 0, outRow, outStep, outChannels, outHeight, outWidth, out,
                    (n0 + n) * outChannels * outHeight * outWidth);
        }
    }
}
