package dev.theta.backend.cpu.plan;

import dev.theta.api.graph.Value;
import dev.theta.api.ops.AveragePool;
import dev.theta.api.ops.Binary;
import dev.theta.api.ops.Cast;
import dev.theta.api.ops.Compare;
import dev.theta.api.ops.Concat;
import dev.theta.api.ops.Conv;
import dev.theta.api.ops.ConvTranspose;
import dev.theta.api.ops.EyeLike;
import dev.theta.api.ops.Constant;
import dev.theta.api.ops.Expand;
import dev.theta.api.ops.Gather;
import dev.theta.api.ops.GatherElements;
import dev.theta.api.ops.Input;
import dev.theta.api.ops.LogSoftmax;
import dev.theta.api.ops.MatMul;
import dev.theta.api.ops.MaxPool;
import dev.theta.api.ops.Window;
import dev.theta.api.ops.OneHot;
import dev.theta.api.ops.RandomBits;
import dev.theta.api.ops.Reduce;
import dev.theta.api.ops.Reshape;
import dev.theta.api.ops.ScatterElements;
import dev.theta.api.ops.Size;
import dev.theta.api.ops.Slice;
import dev.theta.api.ops.Transpose;
import dev.theta.api.ops.Unary;
import dev.theta.api.ops.Where;
import dev.theta.api.tensor.Shape;
import dev.theta.backend.cpu.kernels.AveragePoolKernel;
import dev.theta.backend.cpu.kernels.BatchedMatMulKernel;
import dev.theta.backend.cpu.kernels.BinaryKernel;
import dev.theta.backend.cpu.kernels.Buf;
import dev.theta.backend.cpu.kernels.CastKernel;
import dev.theta.backend.cpu.kernels.Epilogue;
import dev.theta.backend.cpu.kernels.EyeLikeKernel;
import dev.theta.backend.cpu.kernels.ConvKernel;
import dev.theta.backend.cpu.kernels.ConvTransposeKernel;
import dev.theta.backend.cpu.kernels.SingleChannelConvKernel;
import dev.theta.backend.cpu.kernels.PooledBiasGradientKernel;
import dev.theta.backend.cpu.kernels.PooledGradientKernel;
import dev.theta.backend.cpu.kernels.SingleChannelWeightGradientKernel;
import dev.theta.backend.cpu.kernels.SplitSumConvKernel;
import dev.theta.backend.cpu.kernels.VectorApi;
import dev.theta.backend.cpu.kernels.WinogradConvKernel;
import dev.theta.backend.cpu.kernels.WinogradConvTransposeKernel;
import dev.theta.backend.cpu.kernels.CopyKernel;
import dev.theta.backend.cpu.kernels.GatherElementsKernel;
import dev.theta.backend.cpu.kernels.GatherKernel;
import dev.theta.backend.cpu.kernels.ImageScratch;
import dev.theta.backend.cpu.kernels.Kernel;
import dev.theta.backend.cpu.kernels.MatMulKernel;
import dev.theta.backend.cpu.kernels.MatMulLayout;
import dev.theta.backend.cpu.kernels.MatMulScratch;
import dev.theta.backend.cpu.kernels.MaxPoolKernel;
import dev.theta.backend.cpu.kernels.NarrowProducts;
import dev.theta.backend.cpu.kernels.OneHotKernel;
import dev.theta.backend.cpu.kernels.RandomBitsKernel;
import dev.theta.backend.cpu.kernels.ReduceKernel;
import dev.theta.backend.cpu.kernels.ScatterElementsKernel;
import dev.theta.backend.cpu.kernels.SoftmaxKernel;
import dev.theta.backend.cpu.kernels.Strides;
import dev.theta.backend.cpu.kernels.UnaryKernel;
import dev.theta.backend.cpu.kernels.WeightGradientKernel;
import dev.theta.backend.cpu.kernels.WhereKernel;

/** The CPU backend's row of the primitive table: one kernel per op, switched exhaustively over the sealed {@code Op}. */
final class KernelFactory {
    private final int threads;
    private final MatMulScratch scratch;
    private final ImageScratch images;
    private final boolean narrowProducts;

    KernelFactory(int threads, MatMulScratch scratch, ImageScratch images, boolean narrowProducts) {
        this.threads = threads;
        this.scratch = scratch;
        this.images = images;
        this.narrowProducts = narrowProducts;
    }

    /**
     * Whether a product of these shapes runs without OpenBLAS (and so neither reads nor fills the off-heap operands).
     */
    boolean narrow(int[][] dims, int[] outDims, boolean[] transposed) {
        return narrow(layout(dims, outDims, transposed));
    }

    private boolean narrow(MatMulLayout p) {
        return narrowProducts && p.single() && NarrowProducts.applies(p.transA(), p.transB(), p.m(), p.n(), p.k());
    }

    private static MatMulLayout layout(int[][] dims, int[] outDims, boolean[] transposed) {
        return MatMulLayout.of(dims[0], transposed[0], dims[1], transposed[1], outDims);
    }

    /**
     * @param a the node's (effective) argument slots, {@code dims} their concrete shapes
     * @param transposed for MatMul, which arguments are read transposed; null otherwise
     * @param resident for MatMul, which arguments the previous product already left in the off-heap operands
     */
    Kernel create(Value v, Buf[] a, int[][] dims, Buf out, int[] outDims, boolean[] transposed, boolean[] resident) {
        int size = Strides.size(outDims);
        return switch (v.op()) {
            case Unary u -> new UnaryKernel(u.fn(), a[0], out, size);
            case Binary b -> BinaryKernel.arithmetic(b.fn(), a[0], dims[0], a[1], dims[1], out, outDims);
            case Compare c -> BinaryKernel.compare(c.fn(), a[0], dims[0], a[1], dims[1], out, outDims);
            case Where w -> new WhereKernel(a[0], dims[0], a[1], dims[1], a[2], dims[2], out, outDims);
            case Reduce r -> new ReduceKernel(r.fn(), r.axes(), a[0], dims[0], out, threads);
            case LogSoftmax l -> new SoftmaxKernel(a[0], out, dims[0], axis(l.axis(), dims[0].length), true,
                    threads);
            case MatMul m -> product(a, out, layout(dims, outDims, transposed), resident);
            case Gather g -> {
                int rows = dims[0][0];
                yield new GatherKernel(a[0], rows, rows == 0 ? 0 : Strides.size(dims[0]) / rows, a[1],
                        Strides.size(dims[1]), out);
            }
            case GatherElements g -> new GatherElementsKernel(a[0], dims[0], axis(g.axis(), dims[0].length), a[1],
                    dims[1], out);
            case OneHot h -> new OneHotKernel(a[0], Strides.size(dims[0]), h.depth(), out);
            case EyeLike e -> new EyeLikeKernel(out, outDims[0], outDims[1]);
            case Transpose t -> transpose(a[0], dims[0], t.perm(), out, outDims).split(threads);
            case Expand e -> new CopyKernel(a[0], Strides.broadcast(dims[0], outDims), 0, out,
                    Strides.rowMajor(outDims), 0, outDims).split(threads);
            case Concat c -> concat(a, dims, axis(c.axis(), outDims.length), out, outDims);
            case Slice s -> {
                int ax = axis(s.axis(), outDims.length);
                int[] from = Strides.rowMajor(dims[0]);
                yield new CopyKernel(a[0], from, s.start() * from[ax], out, Strides.rowMajor(outDims), 0, outDims)
                        .split(threads);
            }
            case Cast c -> new CastKernel(v.input(0).type().dtype(), c.to(), a[0], out, size);
            case Reshape r -> CopyKernel.contiguous(a[0], out, size);
            case Input i -> throw new IllegalStateException("inputs have no kernel: " + i.name());
            case Constant c -> throw new IllegalStateException("constants are materialised at compile time");
            case Size s -> throw new IllegalStateException("sizes are materialised at compile time");
            case Conv c -> transposed != null && transposed[0] ? weightGradient(c, a, dims, out, outDims)
                    : convolution(c, a, dims, out, outDims, null);
            case ConvTranspose c -> VectorApi.AVAILABLE
                    && WinogradConvTransposeKernel.applies(dims[0], dims[1], c.window(), c.group())
                    ? new WinogradConvTransposeKernel(a[0], dims[0], a[1], dims[1], out, outDims, c.window(), threads,
                            scratch, images)
                    : new ConvTransposeKernel(a[0], dims[0], a[1], dims[1], out, outDims, c.window(), c.group(),
                            threads, scratch, images);
            case MaxPool p -> new MaxPoolKernel(p, a[0], dims[0], out, outDims, threads);
            case AveragePool p -> new AveragePoolKernel(p, a[0], dims[0], out, outDims);
            case ScatterElements s -> new ScatterElementsKernel(a[0], dims[0], axis(s.axis(), dims[0].length), a[1],
                    dims[1], a[2], out, poolPlanes(v.input(1), size), threads, Schedule.zeros(v.input(0)), null);
            case RandomBits r -> new RandomBitsKernel(r.stream(), a[1], out, size);
        };
    }

    /**
     * A kernel gradient read from x = a[0] and g = a[1] in NCHW (see {@link Schedule}): a first layer's 3×3 one
     * directly on the vector API, any other by im2col and sgemm.
     */
    private Kernel weightGradient(Conv c, Buf[] a, int[][] dims, Buf out, int[] outDims) {
        if (VectorApi.AVAILABLE && SingleChannelWeightGradientKernel.applies(dims[0], outDims, c.window(), c.group())) {
            return new SingleChannelWeightGradientKernel(a[0], dims[0], a[1], dims[1], out, c.window(), threads);
        }
        return new WeightGradientKernel(a[0], dims[0], a[1], dims[1], out, outDims, c.window(), threads, scratch,
                images);
    }

    /**
     * A convolution {@code c} of x = a[0] by w = a[1], with {@code epilogue} (the bias and ReLU of the nodes after it,
     * see {@link Schedule#convs}) applied to its output planes, or none: a 3×3 convolution with unit steps by
     * Winograd's F(2×2, 3×3) where both channel counts make its products worth it; one of single-channel images
     * directly; a strided first layer's kernel gradient (one long sum) cut along the sum; any other by im2col and
     * sgemm. Winograd's and the direct kernels use the vector API: without it ({@link VectorApi#AVAILABLE}), im2col.
     */
    Kernel convolution(Conv c, Buf[] a, int[][] dims, Buf out, int[] outDims, Epilogue epilogue) {
        if (VectorApi.AVAILABLE && WinogradConvKernel.applies(dims[0], dims[1], c.window(), c.group())) {
            return new WinogradConvKernel(a[0], dims[0], a[1], dims[1], out, outDims, c.window(), threads, scratch,
                    images, epilogue);
        }
        if (VectorApi.AVAILABLE && SingleChannelConvKernel.applies(dims[0], dims[1], c.window(), c.group())) {
            return new SingleChannelConvKernel(a[0], dims[0], a[1], dims[1], out, outDims, c.window(), threads,
                    epilogue);
        }
        if (epilogue == null && SplitSumConvKernel.applies(dims[0], dims[1], outDims, c.group())) {
            return new SplitSumConvKernel(a[0], dims[0], a[1], dims[1], out, outDims, c.window(), threads, scratch,
                    images);
        }
        return new ConvKernel(a[0], dims[0], a[1], dims[1], out, outDims, c.window(), c.group(), threads, scratch,
                images, epilogue);
    }

    /**
     * MaxPool's gradient {@code scatter} into zeros, times {@code a[3] > 0} (see {@link Schedule#maskedScatters}):
     * a = its data, positions, updates and the pooled tensor.
     */
    Kernel maskedScatter(Value scatter, Buf[] a, int[][] dims, Buf out, boolean byValues) {
        MaxPool pool = (MaxPool) Schedule.maxPoolOf(scatter.input(1)).op();
        Window w = pool.window();
        boolean disjoint = w.undilated() && w.strideH() >= pool.kernelH() && w.strideW() >= pool.kernelW();
        return new ScatterElementsKernel(a[0], dims[0], 0, a[1], dims[1], a[2], out,
                poolPlanes(scatter.input(1), Strides.size(dims[0])), threads, true,
                new ScatterElementsKernel.Mask(a[3], byValues, disjoint));
    }

    /**
     * A first layer's kernel gradient (v a Conv; a = x, positions, updates, pooled values) or a bias gradient (v a
     * Reduce; a = updates, pooled values) read from the pooling's gradient ({@link Schedule#pooledGradients});
     * {@code activation}: the dims of the convolution's output.
     */
    Kernel pooledGradient(Value v, Buf[] a, int[][] dims, Buf out, int[] activation) {
        if (v.op() instanceof Conv c) {
            return new PooledGradientKernel(a[0], dims[0], a[1], a[2], a[3], dims[3], activation, out,
                    c.window().padTop(), c.window().padLeft(), threads);
        }
        return new PooledBiasGradientKernel(a[0], a[1], dims[1], out, threads);
    }

    /**
     * For the flat positions of a MaxPool ({@link MaxPool#vjp}'s scatter), the number of image planes N·C of its
     * input, each of whose positions lie in that plane; otherwise 1.
     */
    private static int poolPlanes(Value positions, int size) {
        Value pool = Schedule.maxPoolOf(positions);
        if (pool != null) {
            Shape x = pool.input(0).shape();
            if (!Shape.isSymbolic(x.dim(2)) && !Shape.isSymbolic(x.dim(3)) && x.dim(2) * x.dim(3) > 0
                    && size % (x.dim(2) * x.dim(3)) == 0) {
                return size / (x.dim(2) * x.dim(3));
            }
        }
        return 1;
    }

    /** One pass of MaxPool {@code op} (values) over x that also writes the positions its gradient asks for. */
    Kernel maxPool(MaxPool op, Buf x, int[] xDims, Buf values, Buf positions, int[] outDims) {
        return new MaxPoolKernel(op, x, xDims, values, positions, outDims, threads);
    }

    /** exp(LogSoftmax(x)) as one kernel (see {@link Schedule#softmax}). */
    Kernel softmax(LogSoftmax l, Buf x, int[] dims, Buf out) {
        return new SoftmaxKernel(x, out, dims, axis(l.axis(), dims.length), false, threads);
    }

    private Kernel product(Buf[] a, Buf out, MatMulLayout p, boolean[] resident) {
        if (narrow(p)) {
            return NarrowProducts.kernel(a[0], p.transA(), a[1], out, p.m(), p.n(), p.k());
        }
        return p.single()
                ? new MatMulKernel(a[0], p.transA(), a[1], p.transB(), out, p.m(), p.n(), p.k(), threads, scratch,
                        resident)
                : new BatchedMatMulKernel(a[0], a[1], out, p, threads, scratch, resident);
    }

    private static int axis(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    private static CopyKernel transpose(Buf in, int[] inDims, int[] perm, Buf out, int[] outDims) {
        int[] own = Strides.rowMajor(inDims);
        int[] from = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            from[i] = own[perm[i]];
        }
        return new CopyKernel(in, from, 0, out, Strides.rowMajor(outDims), 0, outDims);
    }

    /** Each part is copied into its slab of the output: the output's strides, starting at the part's offset. */
    private Kernel concat(Buf[] parts, int[][] dims, int axis, Buf out, int[] outDims) {
        int[] outStrides = Strides.rowMajor(outDims);
        Kernel[] copies = new Kernel[parts.length];
        int start = 0;
        for (int i = 0; i < parts.length; i++) {
            copies[i] = new CopyKernel(parts[i], Strides.rowMajor(dims[i]), 0, out, outStrides,
                    start * outStrides[axis], dims[i]).split(threads);
            start += dims[i][axis];
        }
        return new Kernel() {
            @Override
            public void run() {
                for (Kernel k : copies) {
                    k.run();
                }
            }

            @Override
            public String describe() {
                return "Concat of " + copies.length + " parts: " + copies[0].describe();
            }
        };
    }
}
