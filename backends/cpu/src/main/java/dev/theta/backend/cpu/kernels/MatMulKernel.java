package dev.theta.backend.cpu.kernels;

/**
 * C[m, n] = op(A) · op(B) through sgemm. A transposed operand is read in place with the BLAS transpose flag (the
 * compiler folds {@code Transpose([1, 0])} inputs into it), so gradients like x^T · g never materialise x^T. An
 * operand the previous product already copied off-heap is not copied again: softmax regression's x · W and
 * x^T · g copy the batch once.
 */
public final class MatMulKernel implements Kernel {
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

    /**
     * @param transA whether {@code a} holds A^T ([k, m]) rather than A ([m, k]); likewise {@code transB}
     * @param maxThreads OpenBLAS threads for products large enough to gain from them
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
    }

    @Override
    public String describe() {
        return "MatMul " + m + "x" + k + (transA ? "(T)" : "") + " . " + k + "x" + n + (transB ? "(T)" : "")
                + (copyA ? "" : ", A resident") + (copyB ? "" : ", B resident") + ", " + threads + " thread(s)";
    }

    @Override
    public void run() {
        float[] out = c.floats();
        if (k == 0) {
            java.util.Arrays.fill(out, 0, m * n, 0f);
            return;
        }
        if (copyA) {
            scratch.a().put(a.floats(), 0, m * k);
        }
        if (copyB) {
            scratch.b().put(b.floats(), 0, k * n);
        }
        Blas.threads(threads);
        Blas.sgemm(transA, transB, m, n, k, scratch.a(), transA ? m : k, scratch.b(), transB ? k : n, scratch.c(), n);
        scratch.c().get(out, 0, m * n);
    }
}
