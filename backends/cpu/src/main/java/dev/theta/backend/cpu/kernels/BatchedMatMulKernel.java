package dev.theta.backend.cpu.kernels;

import org.bytedeco.javacpp.FloatPointer;

import java.util.Arrays;

/**
 * A stack of products C[i] = op(A[i]) · op(B[i]) ({@link MatMulLayout}, not a single product): both operands are
 * copied off-heap whole, once, and each product is one sgemm call on matrices inside them, so an operand broadcast
 * along the stack is copied once and transposed operands are read with the BLAS flags, as in {@link MatMulKernel}.
 */
public final class BatchedMatMulKernel implements Kernel {
    private final Buf a;
    private final Buf b;
    private final Buf c;
    private final MatMulLayout p;
    private final int threads;
    private final MatMulScratch scratch;
    private final boolean copyA;
    private final boolean copyB;

    /** @param resident whether each operand is already in the scratch, left there by the previous product; may be null */
    public BatchedMatMulKernel(Buf a, Buf b, Buf c, MatMulLayout layout, int maxThreads, MatMulScratch scratch,
                               boolean[] resident) {
        this.a = a;
        this.b = b;
        this.c = c;
        this.p = layout;
        this.threads = (long) layout.m() * layout.n() * layout.k() >= Blas.MULTITHREAD_MIN_FMAS ? maxThreads : 1;
        this.scratch = scratch;
        this.copyA = resident == null || !resident[0];
        this.copyB = resident == null || !resident[1];
        scratch.require(layout.aSize(), layout.bSize(), layout.count() * layout.m() * layout.n());
    }

    @Override
    public String describe() {
        return "MatMul " + p.count() + " x " + p.m() + "x" + p.k() + (p.transA() ? "(T)" : "") + " . " + p.k() + "x"
                + p.n() + (p.transB() ? "(T)" : "") + (copyA ? "" : ", A resident") + (copyB ? "" : ", B resident")
                + ", " + threads + " thread(s)";
    }

    @Override
    public void run() {
        float[] out = c.floats();
        int mn = p.m() * p.n();
        if (p.k() == 0) {
            Arrays.fill(out, 0, p.count() * mn, 0f);
            return;
        }
        FloatPointer sa = scratch.a();
        FloatPointer sb = scratch.b();
        FloatPointer sc = scratch.c();
        if (copyA) {
            sa.put(a.floats(), 0, p.aSize());
        }
        if (copyB) {
            sb.put(b.floats(), 0, p.bSize());
        }
        Blas.threads(threads);
        int lda = p.transA() ? p.m() : p.k();
        int ldb = p.transB() ? p.k() : p.n();
        // sgemm reads each pointer from its position; the scratch is shared, so positions go back to 0 afterwards.
        for (int s = 0; s < p.count(); s++) {
            sa.position(p.aOffsets()[s]);
            sb.position(p.bOffsets()[s]);
            sc.position((long) s * mn);
            Blas.sgemm(p.transA(), p.transB(), p.m(), p.n(), p.k(), sa, lda, sb, ldb, sc, p.n());
        }
        sa.position(0);
        sb.position(0);
        sc.position(0);
        sc.get(out, 0, p.count() * mn);
    }
}
