package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.MaxPool;

/**
 * MaxPool over [N, C, H, W]: each window's first maximum (padding never wins; the window's first pixel where none
 * is larger, as with NaN), as a value or, for the gradient, as its flat position in the input (int64, as ONNX
 * Runtime numbers it). The part of each window inside the image is precomputed per output row and column, so the
 * loops over a window test no bounds. Windows of 2 × 2 that all lie inside the image (the common {@code maxpool: 2})
 * are read by vector gathers, a vector of output pixels at a time ({@link MaxPoolGathers}; an unrolled scalar loop
 * where the vector API is not available): the general loop spends most of its time on the window loops'
 * bookkeeping and on branches that real activations make a coin toss. With several
 * threads the images are split into fixed ranges; no output depends on another, so the result is the same. Where the
 * graph asks for both the values (forward) and the positions (gradient) of one pooling, one pass writes both.
 */
public final class MaxPoolKernel implements Kernel {
    /** Below this many input pixels the pool's wake-up costs more than it saves. */
    private static final int PARALLEL_MIN_PIXELS = 1 << 16;

    private final Buf x;
    /** The values, the positions, or both (the compiler pairs a pool with its gradient's indices); null if not asked. */
    private final Buf y;
    private final Buf where;
    private final int images;
    private final ConvGeometry rows;
    private final ConvGeometry cols;
    private final boolean unrolled;
    /** Unrolled windows read by vector gathers ({@link MaxPoolGathers}), where the vector API is available. */
    private final boolean gathered;
    /**
     * For 2 × 2 windows inside the image, per output pixel of an image (row-major, padded to whole vectors): the flat
     * offset of its window's top-left pixel in the input image. The windows of a vector of outputs, across row ends,
     * are then read by gathers.
     */
    private final int[] corners;
    /** Every part's own lanes of positions, between the int vector and the int64 output. */
    private final int[][] lanePositions;
    private final int threads;
    private final Parallel.Job ranges;

    public MaxPoolKernel(MaxPool op, Buf x, int[] xd, Buf y, int[] yd, int maxThreads) {
        this(op, x, xd, op.indices() ? null : y, op.indices() ? y : null, yd, maxThreads);
    }

    /** One pass that writes both the values and the positions of the same pooling. */
    public MaxPoolKernel(MaxPool op, Buf x, int[] xd, Buf values, Buf positions, int[] yd, int maxThreads) {
        this.x = x;
        this.y = values;
        this.where = positions;
        this.images = xd[0] * xd[1];
        this.rows = new ConvGeometry(op.window(), 0, xd[2], op.kernelH(), yd[2]);
        this.cols = new ConvGeometry(op.window(), 1, xd[3], op.kernelW(), yd[3]);
        this.unrolled = op.kernelH() == 2 && op.kernelW() == 2 && rows.dilation == 1 && cols.dilation == 1
                && rows.inside() && cols.inside();
        this.threads = (long) images * xd[2] * xd[3] >= PARALLEL_MIN_PIXELS ? Math.min(maxThreads, images) : 1;
        this.gathered = unrolled && VectorApi.AVAILABLE;
        this.corners = gathered ? MaxPoolGathers.corners(rows, cols) : null;
        this.lanePositions = new int[threads][gathered ? MaxPoolGathers.lanes() : 0];
        this.ranges = threads > 1 ? new Parallel.Job(threads, this::range) : null;
    }

    @Override
    public String describe() {
        return "MaxPool " + images + " images " + rows.in + "x" + cols.in + " -> " + rows.out + "x" + cols.out
                + (y == null ? ", indices" : where != null ? ", values and indices" : "") + (gathered ? ", 2x2 gathered" : unrolled ? ", 2x2 unrolled" : "") + ", " + threads + " thread(s)";
    }

    @Override
    public void run() {
        if (ranges != null) {
            Parallel.of(threads).run(ranges);
        } else {
            range(0);
        }
    }

    private void range(int part) {
        int from = Parallel.start(part, threads, images, 1);
        int to = Parallel.start(part + 1, threads, images, 1);
        if (gathered) {
            MaxPoolGathers.run(x.floats(), y == null ? null : y.floats(), where == null ? null : where.longs(), corners,
                    rows.in * cols.in, cols.in, rows.out * cols.out, from, to, lanePositions[part]);
        } else if (unrolled) {
            unrolled2x2(from, to);
        } else {
            general(from, to);
        }
    }

    private void unrolled2x2(int from, int to) {
        float[] in = x.floats();
        float[] values = y == null ? null : y.floats();
        long[] positions = where == null ? null : where.longs();
        int width = cols.in;
        int wo = cols.out;
        int plane = rows.in * width;
        int sh = rows.stride * width;
        int sw = cols.stride;
        int origin = rows.start[0] * width + cols.start[0];
        int at = from * rows.out * wo;
        for (int m = from; m < to; m++) {
            for (int i = 0; i < rows.out; i++, at += wo) {
                int top = m * plane + i * sh + origin;
                int bottom = top + width;
                for (int j = 0; j < wo; j++) {
                    int p = top + j * sw;
                    int q = bottom + j * sw;
                    // Selects rather than branches: on real activations the branch is a coin toss.
                    float max = in[p];
                    int at1 = p;
                    float v = in[p + 1];
                    boolean larger = v > max;
                    max = larger ? v : max;
                    at1 = larger ? p + 1 : at1;
                    v = in[q];
                    larger = v > max;
                    max = larger ? v : max;
                    at1 = larger ? q : at1;
                    v = in[q + 1];
                    larger = v > max;
                    max = larger ? v : max;
                    at1 = larger ? q + 1 : at1;
                    if (values != null) {
                        values[at + j] = max;
                    }
                    if (positions != null) {
                        positions[at + j] = at1;
                    }
                }
            }
        }
    }

    private void general(int from, int to) {
        float[] in = x.floats();
        float[] values = y == null ? null : y.floats();
        long[] positions = where == null ? null : where.longs();
        int width = cols.in;
        int wo = cols.out;
        int plane = rows.in * width;
        int sh = rows.stride * width;
        int dh = rows.dilation * width;
        int sw = cols.stride;
        int dw = cols.dilation;
        int origin = rows.start[0] * width + cols.start[0];
        int at = from * rows.out * wo;
        for (int m = from; m < to; m++) {
            for (int i = 0; i < rows.out; i++) {
                int a0 = rows.kernelFrom[i];
                int a1 = rows.kernelTo[i];
                int corner = m * plane + i * sh + origin;
                for (int j = 0; j < wo; j++, at++) {
                    int b0 = cols.kernelFrom[j];
                    int b1 = cols.kernelTo[j];
                    int base = corner + j * sw;
                    int first = base + a0 * dh + b0 * dw;
                    float max = in[first];
                    for (int a = a0; a < a1; a++) {
                        int row = base + a * dh;
                        for (int b = b0; b < b1; b++) {
                            int p = row + b * dw;
                            boolean larger = in[p] > max;
                            max = larger ? in[p] : max;
                            first = larger ? p : first;
                        }
                    }
                    if (values != null) {
                        values[at] = max;
                    }
                    if (positions != null) {
                        positions[at] = first;
                    }
                }
            }
        }
    }
}
