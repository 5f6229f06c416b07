package dev.theta.api.ops;

import java.util.Arrays;

/**
 * Where a sliding 2-D window reads an NCHW image: strides, pads and dilations along height (axis 0) and width
 * (axis 1). Pads are zero-based counts added before ({@code padTop}, {@code padLeft}) and after the image, as ONNX's
 * {@code pads = [top, left, bottom, right]}. Shared by Conv, ConvTranspose, MaxPool and AveragePool.
 */
public record Window(int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                     int dilationH, int dilationW) {
    /** Stride 1, no padding, no dilation. */
    public static final Window UNIT = new Window(1, 1, 0, 0, 0, 0, 1, 1);

    public Window {
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("strides and dilations must be at least 1: " + describe(strideH, strideW,
                    padTop, padLeft, padBottom, padRight, dilationH, dilationW));
        }
        if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
            throw new IllegalArgumentException("pads must be non-negative: " + describe(strideH, strideW,
                    padTop, padLeft, padBottom, padRight, dilationH, dilationW));
        }
    }

    /** The same stride, pad (on all four sides) and dilation along both axes. */
    public static Window of(int stride, int pad, int dilation) {
        return new Window(stride, stride, pad, pad, pad, pad, dilation, dilation);
    }

    public int stride(int axis) {
        return axis == 0 ? strideH : strideW;
    }

    public int padBegin(int axis) {
        return axis == 0 ? padTop : padLeft;
    }

    public int padEnd(int axis) {
        return axis == 0 ? padBottom : padRight;
    }

    public int dilation(int axis) {
        return axis == 0 ? dilationH : dilationW;
    }

    public boolean undilated() {
        return dilationH == 1 && dilationW == 1;
    }

    /** The padded input size minus the reach of a {@code kernel}-wide dilated window; its floor over s is Ho − 1. */
    int slack(int axis, int in, int kernel) {
        return in + padBegin(axis) + padEnd(axis) - dilation(axis) * (kernel - 1) - 1;
    }

    /** Output size along {@code axis} (0 = height, 1 = width) of a window of size {@code kernel}, rounding down. */
    public int outputSize(int axis, int in, int kernel) {
        int slack = slack(axis, in, kernel);
        if (slack < 0) {
            throw new IllegalArgumentException("window of size " + kernel + " does not fit input of size " + in
                    + " with " + this);
        }
        return slack / stride(axis) + 1;
    }

    /**
     * The rows (or columns) of the padded input that no window reaches, at its end: ConvTranspose's
     * {@code output_padding} that gives a convolution's gradient the input's size back.
     */
    public int remainder(int axis, int in, int kernel) {
        return slack(axis, in, kernel) % stride(axis);
    }

    /** Strides and dilations exchanged, pads kept: the window of a convolution's kernel gradient. */
    Window stridesAsDilations() {
        return new Window(dilationH, dilationW, padTop, padLeft, padBottom, padRight, strideH, strideW);
    }

    /** This window with up to {@code rows} and {@code cols} less padding at the bottom and the right. */
    Window trimEnds(int rows, int cols) {
        return new Window(strideH, strideW, padTop, padLeft, padBottom - Math.min(padBottom, rows),
                padRight - Math.min(padRight, cols), dilationH, dilationW);
    }

    public int[] strides() {
        return new int[] {strideH, strideW};
    }

    public int[] pads() {
        return new int[] {padTop, padLeft, padBottom, padRight};
    }

    public int[] dilations() {
        return new int[] {dilationH, dilationW};
    }

    @Override
    public String toString() {
        return describe(strideH, strideW, padTop, padLeft, padBottom, padRight, dilationH, dilationW);
    }

    private static String describe(int sh, int sw, int pt, int pl, int pb, int pr, int dh, int dw) {
        return "strides=" + Arrays.toString(new int[] {sh, sw}) + " pads=" + Arrays.toString(new int[] {pt, pl, pb, pr})
                + " dilations=" + Arrays.toString(new int[] {dh, dw});
    }
}
