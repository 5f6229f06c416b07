package dev.theta.backend.cpu.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * An image [C, H, W] to and from its channels-last layout ([rows, columns, channels], pixel (i, j) at
 * {@code at + i·row + j·step}, channels contiguous), the layout {@link Winograd}'s tile transforms read and write.
 * Both ways by vector gathers, writing whole vectors: one way a vector of channels of one pixel, gathered from the
 * channel planes; the other a vector of a row's pixels of one channel, gathered {@code step} apart. Element by element
 * with scattered stores (the previous way) these copies took 40 % of the Winograd kernels' tile transforms
 * (docs/benchmarks.md). Pure copies: the same bits whatever the vector width.
 */
final class ChannelsLast {
    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;

    private final int channels;
    private final int height;
    private final int width;
    private final int step;
    /** Lane l at l·H·W: one pixel of consecutive channel planes. */
    private final int[] acrossChannels;
    /** Lane l at l·step: consecutive pixels of one channel in the channels-last image. */
    private final int[] alongRow;
    /**
     * The same for the last, partial vector: its unused lanes read lane 0's float again (the vector API range-checks
     * a masked gather's unused lanes too), and the masked store drops them.
     */
    private final int[] acrossLastChannels;
    private final int[] alongLastPixels;
    private final VectorMask<Float> lastChannels;
    private final VectorMask<Float> lastPixels;

    /** For images of {@code channels × height × width}, {@code step} floats per channels-last pixel. */
    ChannelsLast(int channels, int height, int width, int step) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.step = step;
        int lanes = LANES.length();
        this.acrossChannels = new int[lanes];
        this.alongRow = new int[lanes];
        this.acrossLastChannels = new int[lanes];
        this.alongLastPixels = new int[lanes];
        for (int l = 0; l < lanes; l++) {
            acrossChannels[l] = l * height * width;
            alongRow[l] = l * step;
            acrossLastChannels[l] = l < channels % lanes ? acrossChannels[l] : 0;
            alongLastPixels[l] = l < width % lanes ? alongRow[l] : 0;
        }
        this.lastChannels = LANES.indexInRange(0, channels % lanes);
        this.lastPixels = LANES.indexInRange(0, width % lanes);
    }

    /**
     * Image [C, H, W] at {@code src[from]} into the channels-last image at {@code dst[at]}, rows {@code row} apart: the
     * other pixels and channels (a border, the padded channels) are left as they are.
     */
    void in(float[] src, int from, float[] dst, int at, int row) {
        int lanes = LANES.length();
        int whole = channels / lanes * lanes;
        int plane = height * width;
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                int s = from + i * width + j;
                int d = at + i * row + j * step;
                int c = 0;
                for (; c < whole; c += lanes) {
                    FloatVector.fromArray(LANES, src, s + c * plane, acrossChannels, 0).intoArray(dst, d + c);
                }
                if (c < channels) {
                    FloatVector.fromArray(LANES, src, s + c * plane, acrossLastChannels, 0)
                            .intoArray(dst, d + c, lastChannels);
                }
            }
        }
    }

    /** The inverse of {@link #in}: [C, H, W] at {@code dst[to]} from the channels-last image at {@code src[at]}. */
    void out(float[] src, int at, int row, float[] dst, int to) {
        int lanes = LANES.length();
        int whole = width / lanes * lanes;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < height; i++) {
                int s = at + i * row + c;
                int d = to + (c * height + i) * width;
                int j = 0;
                for (; j < whole; j += lanes) {
                    FloatVector.fromArray(LANES, src, s + j * step, alongRow, 0).intoArray(dst, d + j);
                }
                if (j < width) {
                    FloatVector.fromArray(LANES, src, s + j * step, alongLastPixels, 0)
                            .intoArray(dst, d + j, lastPixels);
                }
            }
        }
    }
}
