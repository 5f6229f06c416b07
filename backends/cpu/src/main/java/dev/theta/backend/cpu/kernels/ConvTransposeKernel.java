package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;
import org.bytedeco.javacpp.FloatPointer;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * ConvTranspose over [N, C, H, W] as one sgemm per group and col2im, a chunk of whole images at a time
 * ({@link ImageChunks}): the weights of a group read transposed [O/group·kH·kW, C/group] times the chunk's input
 * channels [C/group, n·H·W] give every input pixel's contribution to each output channel and kernel offset, which
 * col2im adds into the chunk's images of [N, O, Ho, Wo] in a fixed order. Chunks write disjoint images, so on
 * several threads they run in parallel with the same result.
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
    private final int image;
    private final int threads;
    private final MatMulScratch scratch;
    private final ImageScratch heap;
    private final ImageChunks chunks;
    /** {@link #chunk} as an object made once: a method reference made in {@code run} would allocate every step. */
    private final IntConsumer body;
    private final Parallel.Job job;

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
        this.image = xd[2] * xd[3];
        this.scratch = scratch;
        this.heap = heap;
        int inPerImage = channels * image;
        int colPerImage = group * depth * image;
        this.chunks = new ImageChunks(batch, image, colPerImage, inPerImage, colPerImage,
                Math.max(inPerImage, colPerImage), maxThreads);
        chunks.require(scratch, heap, channels * depth);
        long fmas = (long) group * depth * batch * image * (channels / group);
        this.threads = fmas >= Blas.MULTITHREAD_MIN_FMAS && chunks.count > 1 ? maxThreads : 1;
        this.body = chunks.laned(this::chunk);
        this.job = chunks.job(threads, body);
    }

    @Override
    public String describe() {
        return "ConvTranspose " + batch + "x" + channels + "x" + rows.out + "x" + cols.out + " -> " + outChannels + "x"
                + rows.in + "x" + cols.in + " kernel " + rows.kernel() + "x" + cols.kernel() + ", group " + group
                + ", " + chunks.count + " chunk(s), " + threads + " thread(s)";
    }

    @Override
    public void run() {
        chunks.run(scratch, w.floats(), channels * depth, threads, job, body);
    }

    private void chunk(int k, int lane) {
        int n0 = chunks.from(k);
        int n1 = chunks.to(k);
        int count = n1 - n0;
        int pixels = count * image;
        float[] buf = heap.floats();
        int offset = chunks.heapOffset(lane);
        float[] in = x.floats();
        for (int n = 0; n < count; n++) {
            for (int ch = 0; ch < channels; ch++) {
                System.arraycopy(in, ((n0 + n) * channels + ch) * image, buf, offset + (ch * count + n) * image, image);
            }
        }
        FloatPointer[] v = chunks.views(lane);
        FloatPointer a = v[0];
        FloatPointer b = v[1];
        FloatPointer c = v[2];
        long bBase = chunks.bOffset(lane);
        long cBase = chunks.cOffset(lane);
        b.position(bBase).put(buf, offset, channels * pixels);
        int perGroupIn = channels / group;
        for (int g = 0; g < group; g++) {
            a.position((long) g * perGroupIn * depth);
            b.position(bBase + (long) g * perGroupIn * pixels);
            c.position(cBase + (long) g * depth * pixels);
            Blas.sgemm(true, false, depth, pixels, perGroupIn, a, depth, b, pixels, c, pixels);
        }
        c.position(cBase).get(buf, offset, group * depth * pixels);
        col2im(buf, offset, y.floats(), n0, n1);
    }

    /** Adds rows [i0, i1) × columns [j0, j1) of the block at {@code at} (rows {@code width} wide) into out at dst. */
    private static void addRun(float[] col, int at, float[] out, int dst, int i0, int i1, int j0, int j1, int width) {
        if (i1 <= i0 || j1 <= j0) {
            return;
        }
        if (j0 > 0 || j1 < width) {
            // A pixel or two per row: a loop, not Arrays.fill's call.
            for (int i = i0; i < i1 - 1; i++) {
                for (int t = at + i * width + j1, end = at + (i + 1) * width + j0; t < end; t++) {
                    col[t] = 0f;
                }
            }
        }
        int first = i0 * width + j0;
        int last = (i1 - 1) * width + j1;
        for (int t = first; t < last; t++) {
            out[dst + t] += col[at + t];
        }
    }

    private void col2im(float[] col, int offset, float[] out, int n0, int n1) {
        int height = rows.in;
        int width = cols.in;
        int hi = rows.out;
        int wi = cols.out;
        int stride = cols.stride;
        // As im2col's runs (ConvKernel): stride 1 and input rows as wide as the output's make a kernel offset's rows
        // one run; the entries that would wrap past a row's end fall outside the image and are zeroed first.
        boolean runs = stride == 1 && rows.stride == 1 && wi == width;
        Arrays.fill(out, n0 * outChannels * height * width, n1 * outChannels * height * width, 0f);
        int at = offset;
        for (int ch = 0; ch < outChannels; ch++) {
            for (int ka = 0; ka < rows.kernel(); ka++) {
                int i0 = rows.from[ka];
                int i1 = rows.to[ka];
                for (int kb = 0; kb < cols.kernel(); kb++) {
                    int j0 = cols.from[kb];
                    int j1 = cols.to[kb];
                    for (int n = n0; n < n1; n++) {
                        int image = (n * outChannels + ch) * height * width;
                        if (runs) {
                            addRun(col, at, out, image + rows.start[ka] * width + cols.start[kb], i0, i1, j0, j1, wi);
                            at += hi * wi;
                            continue;
                        }
                        at += i0 * wi;
                        for (int i = i0; i < i1; i++, at += wi) {
                            int dst = image + (i * rows.stride + rows.start[ka]) * width + cols.start[kb];
                            if (stride == 1) {
                                for (int j = j0; j < j1; j++) {
                                    out[dst + j] += col[at + j];
                                }
                            } else {
                                for (int j = j0; j < j1; j++) {
                                    out[dst + j * stride] += col[at + j];
                                }
                            }
                        }
                        at += (hi - i1) * wi;
                    }
                }
            }
        }
    }
}
