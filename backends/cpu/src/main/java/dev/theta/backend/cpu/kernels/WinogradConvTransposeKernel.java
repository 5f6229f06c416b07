package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;

import java.util.Arrays;

/**
 * ConvTranspose of x [N, C, H, W] with weights [C, O, 3, 3], stride and dilation 1, one group (a 3×3 convolution's
 * input gradient), by {@link Winograd} F(2×2, 3×3) ({@link WinogradImageKernel}): x is read as the output gradient
 * of the convolution whose input is this kernel's output. Each 2×2 tile of x, laid out channels last, is transformed
 * (A e Aᵀ); each tile's 4×4 patch B r Bᵀ of its products is added into the padded output image, whose interior is
 * the result.
 */
public final class WinogradConvTransposeKernel extends WinogradImageKernel {
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
    /** The input image to channels last, and the output image back. */
    private final ChannelsLast toChannelsLast;
    private final ChannelsLast fromChannelsLast;

    /** Whether ConvTranspose of x with weights w, the window and group, is one this kernel computes (and worth it). */
    public static boolean applies(int[] xd, int[] wd, Window window, int group) {
        return group == 1 && wd[2] == 3 && wd[3] == 3 && Winograd.unitSteps(window) && xd[1] >= MIN_CHANNELS
                && wd[1] >= MIN_CHANNELS;
    }

    public WinogradConvTransposeKernel(Buf x, int[] xd, Buf w, int[] wd, Buf y, int[] yd, Window window,
                                       int maxThreads, MatMulScratch scratch, ImageScratch heap) {
        super(x, xd, w, y, yd, window, xd[2], xd[3], maxThreads, scratch, heap);
        this.toChannelsLast = new ChannelsLast(channels, height, width, inStep);
        this.fromChannelsLast = new ChannelsLast(outChannels, outHeight, outWidth, outStep);
        this.inWidth = 2 * tilesW;
        this.outPlaneWidth = 2 * tilesW + 2;
        this.inPlanes = new float[chunks.lanes][2 * tilesH * inWidth * inStep];
        this.outPlanes = new float[chunks.lanes][(2 * tilesH + 2) * outPlaneWidth * outStep];
        this.gradientScratch = new float[chunks.lanes][Winograd.gradientScratch()];
    }

    @Override
    public String describe() {
        return "ConvTranspose " + batch + "x" + channels + "x" + height + "x" + width + " -> " + outChannels + "x"
                + outHeight + "x" + outWidth + " kernel 3x3, Winograd F(2x2,3x3), " + chunks.count + " chunk(s), "
                + threads + " thread(s)";
    }

    @Override
    protected int kernelAt(int c, int o) {
        return (c * outChannels + o) * 9;
    }

    @Override
    protected void transformIn(int k, int n, float[] t, int to, int stride) {
        float[] plane = inPlanes[k];
        int row = inWidth * inStep;
        toChannelsLast.in(x.floats(), n * channels * height * width, plane, 0, row);
        for (int ti = 0; ti < tilesH; ti++) {
            for (int tj = 0; tj < tilesW; tj++, to += inStep) {
                Winograd.outputGradient(plane, 2 * ti * row + 2 * tj * inStep, row, inStep, t, to, stride);
            }
        }
    }

    @Override
    protected void transformOut(int k, int n, float[] r, int from, int stride) {
        float[] acc = outPlanes[k];
        float[] scratch = gradientScratch[k];
        int row = outPlaneWidth * outStep;
        Arrays.fill(acc, 0f);
        for (int ti = 0; ti < tilesH; ti++) {
            for (int tj = 0; tj < tilesW; tj++, from += outStep) {
                Winograd.addInputGradient(r, from, stride, acc, 2 * ti * row + 2 * tj * outStep, row, outStep,
                        scratch);
            }
        }
        fromChannelsLast.out(acc, padTop * row + padLeft * outStep, row, y.floats(), n * outChannels * outHeight * outWidth);
    }
}
