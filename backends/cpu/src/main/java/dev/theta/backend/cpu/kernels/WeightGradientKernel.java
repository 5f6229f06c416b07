package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.Window;
import org.bytedeco.javacpp.FloatPointer;

import java.nio.FloatBuffer;

import java.util.function.IntConsumer;

/**
 * The kernel gradient of a unit-step, group-1 convolution read from x [N, C, H, W] and the output gradient g
 * [N, O, Ho, Wo] as they are: {@code Conv.kernelGradient} writes it as a convolution of xᵀ [C, N, H, W] with gᵀ
 * [O, N, Ho, Wo] as its kernel, whose two transposes the schedule drops for this kernel ({@code Schedule}).
 *
 * <p>dw[o, (c, a, b)] = Σ over images n and output pixels p of g[n, o, p] · col_n[(c, a, b), p], with col_n the
 * forward's im2col of image n. A chunk of whole images ({@link ImageChunks}) copies its rows of g off-heap as one
 * matrix [O, n·Ho·Wo] (the copy that sgemm needs anyway does the transpose), writes its im2col columns
 * [C·kH·kW, n·Ho·Wo] straight into its lane's off-heap slice (a heap copy and its copy off-heap took 8 % of the
 * kernel, docs/benchmarks.md) and multiplies the two as colᵀ-major dwᵀ [C·kH·kW, O] = col · gᵀ (8 % faster in
 * OpenBLAS than dw = g · colᵀ on these shapes). The chunks fall into {@value #GROUPS} groups of consecutive chunks;
 * a group's chunks run in order on one thread, each adding its product into the group's partial (sgemm's beta 1),
 * and the groups' partials are then added in group order and written as [C, O, kH, kW]. Chunks and groups depend on
 * the shapes alone, so the result is the same bits on any number of threads. (A partial per chunk, 32 of them summed
 * on one thread, took a tenth of the kernel.) Against the convolution of the transposes it moves an eighth of the
 * data: that one's columns are [C·kH·kW… ] wide by the whole batch's pixels, 14 MB for a 32→64-channel 14×14 layer
 * at batch 64.
 */
public final class WeightGradientKernel implements Kernel {
    /** Partials: enough pieces to balance two to four threads, few enough that adding them up is short. */
    private static final int GROUPS = 8;

    private final Buf x;
    private final Buf g;
    private final Buf out;
    private final int batch;
    private final int channels;
    private final int outChannels;
    private final ConvGeometry rows;
    private final ConvGeometry cols;
    /** C·kH·kW: the partials' columns. */
    private final int depth;
    /** Ho·Wo. */
    private final int pixels;
    private final int threads;
    private final MatMulScratch scratch;
    private final ImageScratch heap;
    private final ImageChunks chunks;
    /** Groups of consecutive chunks, one partial each. */
    private final int groups;
    private final IntConsumer body;
    private final Parallel.Job job;
    /** Per lane, its slice of the off-heap a, where its chunk's rows of g go. */
    private FloatBuffer[] gRows;

    /** Whether a kernel gradient convolution ({@code Conv.kernelGradient}'s) with this window and group is one. */
    public static boolean applies(Window window, int group) {
        return group == 1 && window.strideH() == 1 && window.strideW() == 1 && window.undilated();
    }

    /**
     * @param xd x's dims [N, C, H, W], {@code gd} g's [N, O, Ho, Wo], {@code outDims} the gradient's [C, O, kH, kW];
     *           {@code window} the pads of the convolution (unit strides and dilations)
     */
    public WeightGradientKernel(Buf x, int[] xd, Buf g, int[] gd, Buf out, int[] outDims, Window window,
                                int maxThreads, MatMulScratch scratch, ImageScratch heap) {
        this.x = x;
        this.g = g;
        this.out = out;
        this.batch = xd[0];
        this.channels = xd[1];
        this.outChannels = gd[1];
        this.rows = new ConvGeometry(window, 0, xd[2], outDims[2], gd[2]);
        this.cols = new ConvGeometry(window, 1, xd[3], outDims[3], gd[3]);
        this.depth = channels * outDims[2] * outDims[3];
        this.pixels = gd[2] * gd[3];
        this.scratch = scratch;
        this.heap = heap;
        int colPerImage = depth * pixels;
        // Off-heap per chunk: its rows of g (in a), its im2col columns (in b), its partial [O, depth] (in c).
        this.chunks = new ImageChunks(batch, pixels, colPerImage, colPerImage, 0, 0, maxThreads);
        chunks.require(scratch, heap, chunks.lanes * chunks.most * outChannels * pixels);
        this.groups = Math.min(GROUPS, chunks.count);
        scratch.require(0, 0, groups * outChannels * depth);
        // Heap: the sum of the partials and one partial read back (the columns are written off-heap).
        heap.require(chunks.heapEnd() + 2 * outChannels * depth);
        long fmas = (long) outChannels * batch * pixels * depth;
        this.threads = fmas >= Blas.MULTITHREAD_MIN_FMAS && groups > 1 ? maxThreads : 1;
        this.body = chunks.laned(this::group);
        this.job = threads > 1 ? new Parallel.Job(groups, body) : null;
    }

    @Override
    public String describe() {
        return "Conv kernel gradient " + batch + "x" + channels + "x" + rows.in + "x" + cols.in + ", g " + outChannels
                + "x" + rows.out + "x" + cols.out + " -> " + outChannels + "x" + channels + "x" + rows.kernel() + "x"
                + cols.kernel() + ", from NCHW, " + chunks.count + " chunk(s) in " + groups + " group(s), " + threads
                + " thread(s)";
    }

    @Override
    public void run() {
        if (gRows == null) {
            // The scratch is allocated after the kernels are made.
            gRows = new FloatBuffer[chunks.lanes];
            int perLane = chunks.most * outChannels * pixels;
            for (int lane = 0; lane < chunks.lanes; lane++) {
                gRows[lane] = ImageChunks.slice(scratch.a(), (long) lane * perLane, perLane);
            }
        }
        chunks.runPieces(scratch, groups, threads, job, body);
        addPartials();
    }

    /** Group {@code group}'s chunks in order, each adding into the group's partial. */
    private void group(int group, int lane) {
        int k0 = Parallel.start(group, groups, chunks.count, 1);
        int k1 = Parallel.start(group + 1, groups, chunks.count, 1);
        for (int k = k0; k < k1; k++) {
            chunk(k, lane, group, k > k0);
        }
    }

    private void chunk(int k, int lane, int group, boolean add) {
        int n0 = chunks.from(k);
        int n1 = chunks.to(k);
        int width = (n1 - n0) * pixels;
        ConvKernel.im2col(rows, cols, channels, x.floats(), chunks.columns(lane), 0, n0, n1);
        FloatPointer[] v = chunks.views(lane);
        FloatPointer a = v[0];
        FloatPointer b = v[1];
        FloatPointer c = v[2];
        long gBase = (long) lane * chunks.most * outChannels * pixels;
        float[] gs = g.floats();
        // A buffer's bulk puts, not a FloatPointer's: O·n rows of a few hundred floats, each a JNI call there.
        FloatBuffer rowsOfG = gRows[lane];
        for (int o = 0; o < outChannels; o++) {
            for (int n = n0; n < n1; n++) {
                rowsOfG.put(o * width + (n - n0) * pixels, gs, (n * outChannels + o) * pixels, pixels);
            }
        }
        a.position(gBase);
        b.position(chunks.bOffset(lane));
        c.position((long) group * outChannels * depth);
        Blas.sgemm(false, true, depth, outChannels, width, b, width, a, width, add ? 1f : 0f, c, outChannels);
    }

    /** Adds the groups' partials [C·kH·kW, O] in group order and writes them transposed, [C, O, kH, kW]. */
    private void addPartials() {
        float[] h = heap.floats();
        int size = outChannels * depth;
        int sum = chunks.heapEnd();
        int part = sum + size;
        FloatPointer c = chunks.views(0)[2];
        c.position(0).get(h, sum, size);
        for (int k = 1; k < groups; k++) {
            c.position((long) k * size).get(h, part, size);
            for (int i = 0; i < size; i++) {
                h[sum + i] += h[part + i];
            }
        }
        float[] y = out.floats();
        int area = rows.kernel() * cols.kernel();
        for (int ch = 0; ch < channels; ch++) {
            for (int ab = 0; ab < area; ab++) {
                int from = sum + (ch * area + ab) * outChannels;
                for (int o = 0; o < outChannels; o++) {
                    y[(ch * outChannels + o) * area + ab] = h[from + o];
                }
            }
        }
    }
}
