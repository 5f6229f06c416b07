package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;
import org.bytedeco.javacpp.FloatPointer;

import java.util.Arrays;

/**
 * Conv over [N, C, H, W] as im2col and one sgemm per group: the columns [C·kH·kW, N·Ho·Wo] (one row per input
 * channel and kernel offset, one column per output pixel of the whole batch) times the weights [O, C/group·kH·kW]
 * give [O, N·Ho·Wo], which is then laid out as [N, O, Ho, Wo]. One product for the whole batch keeps the matrices
 * large enough for OpenBLAS even for small images.
 *
 * <p>When the kernel is wider than the output (a kernel gradient, whose kernel is the output gradient), the columns
 * are written transposed, [N·Ho·Wo, C·kH·kW], and read with the BLAS transpose flag: the innermost copy loop then
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
    private final int pixels;
    private final boolean transposed;
    private final int threads;
    private final MatMulScratch scratch;
    private final ImageScratch heap;

    public ConvKernel(Buf x, int[] xd, Buf w, int[] wd, Buf y, int[] yd, Window window, int group, int maxThreads,
                      MatMulScratch scratch, ImageScratch heap) {
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
        this.pixels = batch * yd[2] * yd[3];
        this.transposed = wd[3] > yd[3];
        long fmas = (long) outChannels * pixels * depth;
        this.threads = fmas >= Blas.MULTITHREAD_MIN_FMAS ? maxThreads : 1;
        this.scratch = scratch;
        this.heap = heap;
        int columns = channels * wd[2] * wd[3] * pixels;
        scratch.require(outChannels * depth, columns, outChannels * pixels);
        heap.require(Math.max(columns, outChannels * pixels));
    }

    @Override
    public String describe() {
        return "Conv " + batch + "x" + channels + "x" + rows.in + "x" + cols.in + " -> " + outChannels + "x" + rows.out
                + "x" + cols.out + " kernel " + rows.kernel() + "x" + cols.kernel() + ", group " + group
                + (transposed ? ", columns transposed" : "") + ", " + threads + " thread(s)";
    }

    @Override
    public void run() {
        float[] col = heap.floats();
        int columns = transposed ? im2row(x.floats(), col) : im2col(x.floats(), col);
        FloatPointer a = scratch.a();
        FloatPointer b = scratch.b();
        FloatPointer c = scratch.c();
        a.put(w.floats(), 0, outChannels * depth);
        b.put(col, 0, columns);
        Blas.threads(threads);
        int perGroupOut = outChannels / group;
        for (int g = 0; g < group; g++) {
            a.position((long) g * perGroupOut * depth);
            c.position((long) g * perGroupOut * pixels);
            if (transposed) {
                b.position((long) g * depth);
                Blas.sgemm(false, true, perGroupOut, pixels, depth, a, depth, b, group * depth, c, pixels);
            } else {
                b.position((long) g * depth * pixels);
                Blas.sgemm(false, false, perGroupOut, pixels, depth, a, depth, b, pixels, c, pixels);
            }
        }
        a.position(0);
        b.position(0);
        c.position(0);
        c.get(col, 0, outChannels * pixels);
        int image = rows.out * cols.out;
        float[] out = y.floats();
        for (int o = 0; o < outChannels; o++) {
            for (int n = 0; n < batch; n++) {
                System.arraycopy(col, (o * batch + n) * image, out, (n * outChannels + o) * image, image);
            }
        }
    }

    /** Fills [C·kH·kW, N·Ho·Wo]; returns its element count. */
    private int im2col(float[] in, float[] col) {
        int height = rows.in;
        int width = cols.in;
        int ho = rows.out;
        int wo = cols.out;
        int at = 0;
        for (int ch = 0; ch < channels; ch++) {
            for (int ka = 0; ka < rows.kernel(); ka++) {
                for (int kb = 0; kb < cols.kernel(); kb++) {
                    int j0 = cols.from[kb];
                    int j1 = cols.to[kb];
                    for (int n = 0; n < batch; n++) {
                        int image = (n * channels + ch) * height * width;
                        for (int i = 0; i < ho; i++, at += wo) {
                            if (i < rows.from[ka] || i >= rows.to[ka]) {
                                Arrays.fill(col, at, at + wo, 0f);
                                continue;
                            }
                            int src = image + (i * rows.stride + rows.start[ka]) * width + cols.start[kb];
                            Arrays.fill(col, at, at + j0, 0f);
                            for (int j = j0; j < j1; j++) {
                                col[at + j] = in[src + j * cols.stride];
                            }
                            Arrays.fill(col, at + j1, at + wo, 0f);
                        }
                    }
                }
            }
        }
        return at;
    }

    /** Fills [N·Ho·Wo, C·kH·kW]; returns its element count. */
    private int im2row(float[] in, float[] col) {
        int height = rows.in;
        int width = cols.in;
        int kh = rows.kernel();
        int kw = cols.kernel();
        int at = 0;
        for (int n = 0; n < batch; n++) {
            for (int i = 0; i < rows.out; i++) {
                for (int j = 0; j < cols.out; j++) {
                    int b0 = cols.kernelFrom[j];
                    int b1 = cols.kernelTo[j];
                    for (int ch = 0; ch < channels; ch++) {
                        int image = (n * channels + ch) * height * width;
                        for (int ka = 0; ka < kh; ka++, at += kw) {
                            if (ka < rows.kernelFrom[i] || ka >= rows.kernelTo[i]) {
                                Arrays.fill(col, at, at + kw, 0f);
                                continue;
                            }
                            int src = image + (i * rows.stride + rows.start[ka]) * width + j * cols.stride + cols.start[0];
                            Arrays.fill(col, at, at + b0, 0f);
                            for (int kb = b0; kb < b1; kb++) {
                                col[at + kb] = in[src + kb * cols.dilation];
                            }
                            Arrays.fill(col, at + b1, at + kw, 0f);
                        }
                    }
                }
            }
        }
        return at;
    }
}
