package dev.theta.backend.cpu.kernels;

import java.util.Arrays;

/**
 * How a (possibly stacked) product C[..., m, n] = op(A) · op(B) maps onto sgemm calls, from the concrete shapes of
 * the operands as stored ({@code op(X)} reads X with the last two axes swapped where {@code trans} says so).
 * <ul>
 *   <li>One product (B is a single matrix, however many leading axes of size 1 it has, and A is read as is or is a
 *       single matrix too): a stack of A's matrices against one B is one [stack·m, k] · [k, n] product, since the
 *       stack's rows are contiguous. Rank-2 products are this case with a stack of one.</li>
 *   <li>Otherwise a stack of {@link #count} products, the i-th reading A and B at {@link #aOffsets}[i] and
 *       {@link #bOffsets}[i] (operands broadcast along an axis read the same matrix again) and writing C's i-th
 *       matrix.</li>
 * </ul>
 */
public record MatMulLayout(boolean single, int count, int m, int n, int k, boolean transA, boolean transB,
                           int aSize, int bSize, int[] aOffsets, int[] bOffsets) {

    public static MatMulLayout of(int[] aDims, boolean transA, int[] bDims, boolean transB, int[] outDims) {
        int r = outDims.length;
        int m = outDims[r - 2];
        int n = outDims[r - 1];
        int k = transA ? aDims[aDims.length - 2] : aDims[aDims.length - 1];
        int aStack = stack(aDims);
        int bStack = stack(bDims);
        if (bStack == 1 && (aStack == 1 || !transA)) {
            return new MatMulLayout(true, 1, aStack * m, n, k, transA, transB, aStack * m * k, k * n,
                    new int[] {0}, new int[] {0});
        }
        int[] batch = Arrays.copyOf(outDims, r - 2);
        int count = Strides.size(batch);
        int[] aStrides = Strides.broadcast(Arrays.copyOf(aDims, aDims.length - 2), batch);
        int[] bStrides = Strides.broadcast(Arrays.copyOf(bDims, bDims.length - 2), batch);
        int[] aOffsets = new int[count];
        int[] bOffsets = new int[count];
        int[] idx = new int[batch.length];
        for (int s = 0; s < count; s++) {
            int ai = 0;
            int bi = 0;
            for (int d = 0; d < batch.length; d++) {
                ai += idx[d] * aStrides[d];
                bi += idx[d] * bStrides[d];
            }
            aOffsets[s] = ai * m * k;
            bOffsets[s] = bi * k * n;
            for (int d = batch.length - 1; d >= 0 && ++idx[d] == batch[d]; d--) {
                idx[d] = 0;
            }
        }
        return new MatMulLayout(false, count, m, n, k, transA, transB, Strides.size(aDims), Strides.size(bDims),
                aOffsets, bOffsets);
    }

    /** The number of matrices stored: the product of the leading axes. */
    private static int stack(int[] dims) {
        int s = 1;
        for (int d = 0; d < dims.length - 2; d++) {
            s *= dims[d];
        }
        return s;
    }
}
