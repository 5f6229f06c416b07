package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;
import org.bytedeco.javacpp.FloatPointer;

import java.util.Arrays;

/**
 * ConvTranspose over [N, C, H, W] as one sgemm per group and col2im: the weights of a group read transposed
 * [O/group·kH·kW, C/group] times its input channels [C/group, N·H·W] give every input pixel's contribution to
 * each output channel and kernel offset, which col2im adds into [N, O, Ho, Wo] in a fixed order.
 */
public final class ConvTransposeKernel implements Kernel {
    private final Buf x;
    private final Buf w;
    private final Buf y;
    private final int batch;
    private final int channels;
    private final int outChannels;
    private final int group;
    /** Geometry with the roles of ConvGeometry exchanged: "in" is the output image, "out" the input grid. */
    private final ConvGeometry rows;
    private final ConvGeometry cols;
    private final int depth;
    private final int pixels;
    private final int threads;
    private final MatMulScratch scratch;
    private final ImageScratch heap;

    public ConvTransposeKernel(Buf x, int[] xd, Buf w, int[] wd, Buf y, int[] yd, Window window, int group,
                               int maxThreads, MatMulScratch scratch, ImageScratch heap) {
        this.x = x;
        this.w = w;
        this.y = y;
        this.batch = xd[0];
        this.channels = xd[1];
        this.outChannels = yd[1];
        this.group = group;
        this.rows = new ConvGeometry(window, 0, yd[2], wd[2], xd[2]);
        this.cols = new ConvGeometry(window, 1, yd[3], wd[3], xd[3]);
        this.depth = wd[1] * wd[2] * wd[3];
        this.pixels = batch * xd[2] * xd[3];
        long fmas = (long) group * depth * pixels * (channels / group);
        this.threads = fmas >= Blas.MULTITHREAD_MIN_FMAS ? maxThreads : 1;
        this.scratch = scratch;
        this.heap = heap;
        scratch.require(channels * depth, channels * pixels, group * depth * pixels);
        heap.require(Math.max(channels * pixels, group * depth * pixels));
    }

    @Override
    public String describe() {
        return "ConvTranspose " + batch + "x" + channels + "x" + rows.out + "x" + cols.out + " -> " + outChannels + "x"
                + rows.in + "x" + cols.in + " kernel " + rows.kernel() + "x" + cols.kernel() + ", group " + group
                + ", " + threads + " thread(s)";
    }

    @Override
    public void run() {
        float[] buf = heap.floats();
        float[] in = x.floats();
        int image = rows.out * cols.out;
        for (int n = 0; n < batch; n++) {
            for (int ch = 0; ch < channels; ch++) {
                System.arraycopy(in, (n * channels + ch) * image, buf, (ch * batch + n) * image, image);
            }
        }
        FloatPointer a = scratch.a();
        FloatPointer b = scratch.b();
        FloatPointer c = scratch.c();
        a.put(w.floats(), 0, channels * depth);
        b.put(buf, 0, channels * pixels);
        Blas.threads(threads);
        int perGroupIn = channels / group;
        for (int g = 0; g < group; g++) {
            a.position((long) g * perGroupIn * depth);
            b.position((long) g * perGroupIn * pixels);
            c.position((long) g * depth * pixels);
            Blas.sgemm(true, false, depth, pixels, perGroupIn, a, depth, b, pixels, c, pixels);
        }
        a.position(0);
        b.position(0);
        c.position(0);
        c.get(buf, 0, group * depth * pixels);
        col2im(buf, y.floats());
    }

    private void col2im(float[] col, float[] out) {
        int height = rows.in;
        int width = cols.in;
        int hi = rows.out;
        int wi = cols.out;
        Arrays.fill(out, 0, batch * outChannels * height * width, 0f);
        int at = 0;
        for (int ch = 0; ch < outChannels; ch++) {
            for (int ka = 0; ka < rows.kernel(); ka++) {
                for (int kb = 0; kb < cols.kernel(); kb++) {
                    int j0 = cols.from[kb];
                    int j1 = cols.to[kb];
                    for (int n = 0; n < batch; n++) {
                        int image = (n * outChannels + ch) * height * width;
                        for (int i = 0; i < hi; i++, at += wi) {
                            if (i < rows.from[ka] || i >= rows.to[ka]) {
                                continue;
                            }
                            int dst = image + (i * rows.stride + rows.start[ka]) * width + cols.start[kb];
                            for (int j = j0; j < j1; j++) {
                                out[dst + j * cols.stride] += col[at + j];
                            }
                        }
                    }
                }
            }
        }
    }
}
