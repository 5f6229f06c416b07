package dev.theta.backend.cpu.kernels;

import org.bytedeco.javacpp.FloatPointer;

import java.util.Arrays;

/**
 * C[m, n] = op(A) · op(B) through sgemm. A transposed operand is read in place with the BLAS transpose flag (the
 * compiler folds {@code Transpose([1, 0])} inputs into it), so gradients like x^T · g never materialise x^T. An
 * operand the previous product already copied off-heap is not copied again: softmax regression's x · W and
 * x^T · g copy the batch once. With several threads the rows of C are split into blocks, one single-threaded sgemm
 * each, on {@link Parallel}'s threads; the operands' copies off-heap are split over the threads too (a 3136×128
 * weight is 1.6 MB, which one thread copied while the other waited), and each block reads back its own rows of C.
 * A product with few rows (a batch of 64 times a dense layer's weight) or more columns than rows is split into blocks
 * of columns instead: OpenBLAS runs 64×3136 · 3136×64 at 80 GFLOP/s on one thread, 32×3136 · 3136×128 at 67
 * (docs/benchmarks.md).
 */
public final class MatMulKernel implements Kernel {
    /** Below this many floats to copy, one thread copies them sooner than two can start. */
    private static final long COPY_PIECE_MIN = 1 << 16;

    private final Buf a;
    private final Buf b;
    private final Buf c;
    private final boolean transA;
    private final boolean transB;
    private final int m;
    private final int n;
    private final int k;
    private final int threads;
    private final MatMulScratch scratch;
    private final boolean copyA;
    private final boolean copyB;
    /** Blocks of C's rows, or of its columns, on several threads; null on one thread. */
    private final Parallel.Job rowBlocks;
    /** Whether {@link #rowBlocks} holds blocks of columns. */
    private final boolean columnBlocks;
    /** The operands' copies off-heap in pieces, on several threads; null on one thread. */
    private final Parallel.Job copies;
    /** Each block's views of the scratch (own positions), made on the first run: the scratch is allocated later. */
    private FloatPointer[][] views;
    /** Each copy piece's views of a and b. */
    private FloatPointer[][] copyViews;

    /**
     * @param transA whether {@code a} holds A^T ([k, m]) rather than A ([m, k]); likewise {@code transB}
     * @param maxThreads threads for products large enough to gain from them
     * @param resident whether each operand is already in the scratch, left there by the previous product; may be null
     */
    public MatMulKernel(Buf a, boolean transA, Buf b, boolean transB, Buf c, int m, int n, int k, int maxThreads,
                        MatMulScratch scratch, boolean[] resident) {
        this.a = a;
        this.b = b;
        this.c = c;
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.threads = (long) m * n * k >= Blas.MULTITHREAD_MIN_FMAS ? maxThreads : 1;
        this.scratch = scratch;
        this.copyA = resident == null || !resident[0];
        this.copyB = resident == null || !resident[1];
        scratch.require(m * k, k * n, m * n);
        // Each block's sgemm packs the whole operand it shares with the other blocks: B for blocks of rows, A for
        // blocks of columns. Splitting the longer side of C shares the smaller operand (a weight gradient x^T · g,
        // 128×768 · 768×512, packed B four times as row blocks), and one block a thread packs it least often;
        // below 64 rows a thread, column blocks of at least 64 keep each sgemm near its single-thread rate.
        this.columnBlocks = (m < 64 * threads || n > m) && n / 64 >= threads;
        int blocks = Math.min(threads, Math.max(1, columnBlocks ? n / 64 : m / 32));
        this.rowBlocks = threads > 1 && blocks > 1 ? new Parallel.Job(blocks, this::block) : null;
        long copied = (copyA ? (long) m * k : 0) + (copyB ? (long) k * n : 0);
        this.copies = rowBlocks != null && copied >= COPY_PIECE_MIN ? new Parallel.Job(2 * threads, this::copyPiece)
                : null;
    }

    /** Piece i of the operands' copies: its share of A's elements (if copied), then of B's. */
    private void copyPiece(int i) {
        int parts = copies.tasks();
        FloatPointer[] v = copyViews[i];
        if (copyA) {
            int from = Parallel.start(i, parts, m * k, 16);
            int to = Parallel.start(i + 1, parts, m * k, 16);
            v[0].position(from).put(a.floats(), from, to - from);
        }
        if (copyB) {
            int from = Parallel.start(i, parts, k * n, 16);
            int to = Parallel.start(i + 1, parts, k * n, 16);
            v[1].position(from).put(b.floats(), from, to - from);
        }
    }

    private void block(int i) {
        if (columnBlocks) {
            columnBlock(i);
            return;
        }
        int from = Parallel.start(i, rowBlocks.tasks(), m, 8);
        int to = Parallel.start(i + 1, rowBlocks.tasks(), m, 8);
        if (to > from) {
            FloatPointer[] v = views[i];
            v[0].position(transA ? from : (long) from * k);
            v[1].position(0);
            v[2].position((long) from * n);
            Blas.sgemm(transA, transB, to - from, n, k, v[0], transA ? m : k, v[1], transB ? k : n, v[2], n);
            v[2].get(c.floats(), from * n, (to - from) * n);
        }
    }

    /** Columns [from, to) of C: B's columns from there (B^T's rows), C's rows read back in that range. */
    private void columnBlock(int i) {
        int from = Parallel.start(i, rowBlocks.tasks(), n, 16);
        int to = Parallel.start(i + 1, rowBlocks.tasks(), n, 16);
        if (to > from) {
            FloatPointer[] v = views[i];
            v[0].position(0);
            v[1].position(transB ? (long) from * k : from);
            v[2].position(from);
            Blas.sgemm(transA, transB, m, to - from, k, v[0], transA ? m : k, v[1], transB ? k : n, v[2], n);
            float[] out = c.floats();
            for (int r = 0; r < m; r++) {
                v[2].position((long) r * n + from).get(out, r * n + from, to - from);
            }
        }
    }

    @Override
    public String describe() {
        return "MatMul " + m + "x" + k + (transA ? "(T)" : "") + " . " + k + "x" + n + (transB ? "(T)" : "")
                + (copyA ? "" : ", A resident") + (copyB ? "" : ", B resident") + ", " + threads + " thread(s)"
                + (rowBlocks != null && columnBlocks ? " by columns" : "");
    }

    @Override
    public void run() {
        float[] out = c.floats();
        if (k == 0) {
            Arrays.fill(out, 0, m * n, 0f);
            return;
        }
        if (copies != null) {
            if (copyViews == null) {
                copyViews = new FloatPointer[copies.tasks()][];
                for (int i = 0; i < copyViews.length; i++) {
                    copyViews[i] = new FloatPointer[] {new FloatPointer(scratch.a()), new FloatPointer(scratch.b())};
                }
            }
            Parallel.of(threads).run(copies);
        } else {
            if (copyA) {
                scratch.a().put(a.floats(), 0, m * k);
            }
            if (copyB) {
                scratch.b().put(b.floats(), 0, k * n);
            }
        }
        if (rowBlocks != null) {
            if (views == null) {
                views = new FloatPointer[rowBlocks.tasks()][];
                for (int i = 0; i < views.length; i++) {
                    views[i] = new FloatPointer[] {new FloatPointer(scratch.a()), new FloatPointer(scratch.b()),
                            new FloatPointer(scratch.c())};
                }
            }
            Blas.threads(1);
            Parallel.of(threads).run(rowBlocks);
            // Each block read back its own rows of C.
        } else {
            Blas.threads(1);
            Blas.sgemm(transA, transB, m, n, k, scratch.a(), transA ? m : k, scratch.b(), transB ? k : n, scratch.c(),
                    n);
            scratch.c().get(out, 0, m * n);
        }
    }
}
