package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;

/**
 * Conv of x [N, C, H, W] with a 3×3 kernel, stride and dilation 1, one group, by {@link Winograd} F(2×2, 3×3)
 * ({@link WinogradImageKernel}): each image, padded and laid out channels last, gives its tiles' transformed patches
 * Bᵀ d B; each tile's output Aᵀ m A is read back from its 16 products, all channels at once. 2.25× fewer
 * multiply-adds than im2col's product, for additions in the transforms: worth it where the product is large (both
 * channel counts at least {@link #MIN_CHANNELS}).
 */
public final class WinogradConvKernel extends WinogradImageKernel {
    /**
     * Every chunk's own padded input image, channels last [2·tilesH + 2, 2·tilesW + 2, inStep]: only the image's
     * pixels and channels are written, its border and padded channels stay zero.
     */
    private final float[][] planes;
    private final int planeWidth;
    /** Every chunk's own output image, channels last, in whole tiles [2·tilesH, 2·tilesW, outStep]. */
    private final float[][] outputs;
    /** The input image to channels last, and the output image back. */
    private final ChannelsLast toChannelsLast;
    private final ChannelsLast fromChannelsLast;

    /** Whether Conv of x with weights w, the window and group, is one this kernel computes (and worth it). */
    public static boolean applies(int[] xd, int[] wd, Window window, int group) {
        return group == 1 && wd[2] == 3 && wd[3] == 3 && Winograd.unitSteps(window) && xd[1] >= MIN_CHANNELS
                && wd[0] >= MIN_CHANNELS;
    }

    /** Bias and ReLU on each output image as it is laid out, or null. */
    private final Epilogue epilogue;

    public WinogradConvKernel(Buf x, int[] xd, Buf w, int[] wd, Buf y, int[] yd, Window window, int maxThreads,
                              MatMulScratch scratch, ImageScratch heap, Epilogue epilogue) {
        super(x, xd, w, y, yd, window, yd[2], yd[3], maxThreads, scratch, heap);
        this.toChannelsLast = new ChannelsLast(channels, height, width, inStep);
        this.fromChannelsLast = new ChannelsLast(outChannels, outHeight, outWidth, outStep);
        this.epilogue = epilogue;
        this.planeWidth = 2 * tilesW + 2;
        this.planes = new float[chunks.lanes][(2 * tilesH + 2) * planeWidth * inStep];
        this.outputs = new float[chunks.lanes][4 * tiles * outStep];
    }

    @Override
    public String describe() {
        return "Conv " + batch + "x" + channels + "x" + height + "x" + width + " -> " + outChannels + "x" + outHeight
                + "x" + outWidth + " kernel 3x3, Winograd F(2x2,3x3)" + Epilogue.describe(epilogue) + ", "
                + chunks.count + " chunk(s), " + threads
                + " thread(s)";
    }

    @Override
    protected int kernelAt(int c, int o) {
        return (o * channels + c) * 9;
    }

    @Override
    protected void transformIn(int k, int n, float[] v, int to, int stride) {
        float[] plane = planes[k];
        int row = planeWidth * inStep;
        toChannelsLast.in(x.floats(), n * channels * height * width, plane, padTop * row + padLeft * inStep, row);
        for (int ti = 0; ti < tilesH; ti++) {
            for (int tj = 0; tj < tilesW; tj++, to += inStep) {
                Winograd.input(plane, 2 * ti * row + 2 * tj * inStep, row, inStep, v, to, stride);
            }
        }
    }

    @Override
    protected void transformOut(int k, int n, float[] m, int from, int stride) {
        float[] image = outputs[k];
        int row = 2 * tilesW * outStep;
        for (int ti = 0; ti < tilesH; ti++) {
            for (int tj = 0; tj < tilesW; tj++, from += outStep) {
                Winograd.output(m, from, stride, image, 2 * ti * row + 2 * tj * outStep, row, outStep);
            }
        }
        int plane = outHeight * outWidth;
        fromChannelsLast.out(image, 0, row, y.floats(), n * outChannels * plane);
        if (epilogue != null) {
            for (int o = 0; o < outChannels; o++) {
                epilogue.apply(y.floats(), (n * outChannels + o) * plane, plane, o);
            }
        }
    }
}
