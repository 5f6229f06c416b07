package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;
import org.bytedeco.javacpp.FloatPointer;

import java.nio.FloatBuffer;

import java.util.function.IntConsumer;

/**
 * Conv over [N, C, H, W] as im2col and one sgemm per group, a chunk of whole images at a time ({@link ImageChunks}):
 * the chunk's columns [C·kH·kW, n·Ho·Wo] (one row per input channel and kernel offset, one column per output pixel
 * of the chunk) times the weights [O, C/group·kH·kW] give [O, n·Ho·Wo], which is then laid out as [n, O, Ho, Wo].
 * Chunks small enough to stay in cache but wide enough for sgemm; on several threads, chunks run in parallel, each
 * a single-threaded sgemm (OpenBLAS's own threads spin after every call, see {@link Parallel}).
 *
 * <p>When the kernel is wider than the output (a kernel gradient, whose kernel is the output gradient), the columns
 * are written transposed, [n·Ho·Wo, C·kH·kW], and read with the BLAS transpose flag: the innermost copy loop then
 * runs along the wide kernel instead of the few output columns.
 */
public final class ConvKernel implements Kernel {
    private final Buf x;
    private final Buf w;
    private final Buf y;
    private final int batch;
    private final int channels;
    private final int outChannels;
    private final int group;
    private final ConvGeometry rows;
    private final ConvGeometry cols;
    private final int depth;
    private final int image;
    private final boolean transposed;
    private final int threads;
    private final MatMulScratch scratch;
    private final ImageScratch heap;
    private final ImageChunks chunks;
    /** {@link #chunk} as an object made once: a method reference made in {@code run} would allocate every step. */
    private final IntConsumer body;
    private final Parallel.Job job;
    /** Bias and ReLU on each output plane as it is laid out, or null. */
    private final Epilogue epilogue;

    public ConvKernel(Buf x, int[] xd, Buf w, int[] wd, Buf y, int[] yd, Window window, int group, int maxThreads,
                      MatMulScratch scratch, ImageScratch heap, Epilogue epilogue) {
        this.epilogue = epilogue;
        this.x = x;
        this.w = w;
        this.y = y;
        this.batch = xd[0];
        this.channels = xd[1];
        this.outChannels = yd[1];
        this.group = group;
        this.rows = new ConvGeometry(window, 0, xd[2], wd[2], yd[2]);
        this.cols = new ConvGeometry(window, 1, xd[3], wd[3], yd[3]);
        this.depth = wd[1] * wd[2] * wd[3];
        this.image = yd[2] * yd[3];
        this.transposed = wd[3] > yd[3];
        this.scratch = scratch;
        this.heap = heap;
        int colPerImage = channels * wd[2] * wd[3] * image;
        int outPerImage = outChannels * image;
        // The columns are written off-heap; the heap holds each chunk's product read back.
        this.chunks = new ImageChunks(batch, image, colPerImage, colPerImage, outPerImage, outPerImage, maxThreads);
        chunks.require(scratch, heap, outChannels * depth);
        long fmas = (long) outChannels * batch * image * depth;
        this.threads = fmas >= Blas.MULTITHREAD_MIN_FMAS && chunks.count > 1 ? maxThreads : 1;
        this.body = chunks.laned(this::chunk);
        this.job = chunks.job(threads, body);
    }

    @Override
    public String describe() {
        return "Conv " + batch + "x" + channels + "x" + rows.in + "x" + cols.in + " -> " + outChannels + "x" + rows.out
                + "x" + cols.out + " kernel " + rows.kernel() + "x" + cols.kernel() + ", group " + group
                + (transposed ? ", columns transposed" : "") + Epilogue.describe(epilogue) + ", " + chunks.count
                + " chunk(s), " + threads
                + " thread(s)";
    }

    @Override
    public void run() {
        chunks.run(scratch, w.floats(), outChannels * depth, threads, job, body);
    }

    private void chunk(int k, int lane) {
        int n0 = chunks.from(k);
        int n1 = chunks.to(k);
        int pixels = (n1 - n0) * image;
        float[] col = heap.floats();
        int offset = chunks.heapOffset(lane);
        FloatBuffer columns = chunks.columns(lane);
        if (transposed) {
            im2row(rows, cols, channels, x.floats(), columns, 0, n0, n1, 0, channels);
        } else {
            im2col(rows, cols, channels, x.floats(), columns, 0, n0, n1);
        }
        FloatPointer[] v = chunks.views(lane);
        FloatPointer a = v[0];
        FloatPointer b = v[1];
        FloatPointer c = v[2];
        long bBase = chunks.bOffset(lane);
        long cBase = chunks.cOffset(lane);
        int perGroupOut = outChannels / group;
        for (int g = 0; g < group; g++) {
            a.position((long) g * perGroupOut * depth);
            c.position(cBase + (long) g * perGroupOut * pixels);
            if (transposed) {
                b.position(bBase + (long) g * depth);
                Blas.sgemm(false, true, perGroupOut, pixels, depth, a, depth, b, group * depth, c, pixels);
            } else {
                b.position(bBase + (long) g * depth * pixels);
                Blas.sgemm(false, false, perGroupOut, pixels, depth, a, depth, b, pixels, c, pixels);
            }
        }
        c.position(cBase).get(col, offset, outChannels * pixels);
        float[] out = y.floats();
        int count = n1 - n0;
        for (int o = 0; o < outChannels; o++) {
            for (int n = 0; n < count; n++) {
                int at = ((n0 + n) * outChannels + o) * image;
                System.arraycopy(col, offset + (o * count + n) * image, out, at, image);
                if (epilogue != null) {
                    epilogue.apply(out, at, image, o);
                }
            }
        }
    }

    /**
     * Fills [C·kH·kW, n·Ho·Wo] at {@code offset} for images [n0, n1) of x [N, C, H, W] ({@code channels} = C);
     * returns its element count.
     */
    static int im2col(ConvGeometry rows, ConvGeometry cols, int channels, float[] in, FloatBuffer col, int offset,
                      int n0, int n1) {
        int height = rows.in;
        int width = cols.in;
        int ho = rows.out;
        int wo = cols.out;
        int stride = cols.stride;
        // Stride 1 and output rows as wide as the input's ("same" padding): a kernel offset's valid rows are one run
        // in both the image and the columns, copied at once; the pixels it wraps around the row ends are zeroed.
        boolean runs = stride == 1 && rows.stride == 1 && wo == width;
        int at = offset;
        for (int ch = 0; ch < channels; ch++) {
            for (int ka = 0; ka < rows.kernel(); ka++) {
                int i0 = rows.from[ka];
                int i1 = rows.to[ka];
                for (int kb = 0; kb < cols.kernel(); kb++) {
                    int j0 = cols.from[kb];
                    int j1 = cols.to[kb];
                    for (int n = n0; n < n1; n++) {
                        int image = (n * channels + ch) * height * width;
                        if (runs) {
                            copyRun(in, image + rows.start[ka] * width + cols.start[kb], col, at, ho * wo, i0, i1,
                                    j0, j1, wo);
                            at += ho * wo;
                            continue;
                        }
                        zero(col, at, at + i0 * wo);
                        at += i0 * wo;
                        for (int i = i0; i < i1; i++, at += wo) {
                            int src = image + (i * rows.stride + rows.start[ka]) * width + cols.start[kb];
                            zero(col, at, at + j0);
                            if (stride == 1) {
                                col.put(at + j0, in, src + j0, j1 - j0);
                            } else {
                                for (int j = j0; j < j1; j++) {
                                    col.put(at + j, in[src + j * stride]);
                                }
                            }
                            zero(col, at + j1, at + wo);
                        }
                        zero(col, at, at + (ho - i1) * wo);
                        at += (ho - i1) * wo;
                    }
                }
            }
        }
        return at - offset;
    }

    /**
     * Block [rows × width] of {@code in} from {@code src} (rows of the same width as the block's) to {@code col} at
     * {@code at}, keeping rows [i0, i1) and columns [j0, j1) of it and zeros elsewhere: one copy of the span from
     * (i0, j0) to (i1 − 1, j1 − 1), then zeros where that span wrapped past a row's end.
     */
    static void copyRun(float[] in, int src, FloatBuffer col, int at, int size, int i0, int i1, int j0, int j1,
                        int width) {
        if (i1 <= i0 || j1 <= j0) {
            zero(col, at, at + size);
            return;
        }
        int first = i0 * width + j0;
        int last = (i1 - 1) * width + j1;
        zero(col, at, at + first);
        col.put(at + first, in, src + first, last - first);
        zero(col, at + last, at + size);
        if (j0 > 0 || j1 < width) {
            // The pixels the span wrapped past each row's end.
            for (int i = i0; i < i1 - 1; i++) {
                zero(col, at + i * width + j1, at + (i + 1) * width + j0);
            }
        }
    }

    /** Zeros {@code col} in [from, to). */
    private static void zero(FloatBuffer col, int from, int to) {
        for (int t = from; t < to; t++) {
            col.put(t, 0f);
        }
    }

    /**
     * Fills [n·Ho·Wo, (c1 − c0)·kH·kW] at {@code offset} for images [n0, n1) and channels [c0, c1) of x [N, C, H, W]
     * ({@code channels} = C); returns its element count.
     */
    static int im2row(ConvGeometry rows, ConvGeometry cols, int channels, float[] in, FloatBuffer col, int offset,
                      int n0, int n1, int c0, int c1) {
        int height = rows.in;
        int width = cols.in;
        int kh = rows.kernel();
        int kw = cols.kernel();
        int dilation = cols.dilation;
        boolean windowRuns = dilation == 1 && rows.dilation == 1 && kw == width;
        int at = offset;
        for (int n = n0; n < n1; n++) {
            for (int i = 0; i < rows.out; i++) {
                for (int j = 0; j < cols.out; j++) {
                    int b0 = cols.kernelFrom[j];
                    int b1 = cols.kernelTo[j];
                    for (int ch = c0; ch < c1; ch++) {
                        int image = (n * channels + ch) * height * width;
                        if (windowRuns) {
                            // The window's rows are as wide as the image's: the window is one run, as in im2col.
                            copyRun(in, image + (i * rows.stride + rows.start[0]) * width + j * cols.stride
                                    + cols.start[0], col, at, kh * kw, rows.kernelFrom[i], rows.kernelTo[i], b0, b1, kw);
                            at += kh * kw;
                            continue;
                        }
                        for (int ka = 0; ka < kh; ka++, at += kw) {
                            if (ka < rows.kernelFrom[i] || ka >= rows.kernelTo[i]) {
                                zero(col, at, at + kw);
                                continue;
                            }
                            int src = image + (i * rows.stride + rows.start[ka]) * width + j * cols.stride + cols.start[0];
                            zero(col, at, at + b0);
                            if (dilation == 1) {
                                col.put(at + b0, in, src + b0, b1 - b0);
                            } else {
                                for (int kb = b0; kb < b1; kb++) {
                                    col.put(at + kb, in[src + kb * dilation]);
                                }
                            }
                            zero(col, at + b1, at + kw);
                        }
                    }
                }
            }
        }
        return at - offset;
    }
}
