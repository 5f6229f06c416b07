package dev.theta.backend.cpu.kernels;

import org.bytedeco.javacpp.FloatPointer;

import java.util.Arrays;

/**
 * A stack of products C[i] = op(A[i]) · op(B[i]) ({@link MatMulLayout}, not a single product): both operands are
 * copied off-heap whole, once, and each product is one sgemm call on matrices inside them, so an operand broadcast
 * along the stack is copied once and transposed operands are read with the BLAS flags, as in {@link MatMulKernel}.
 * With several threads, runs of consecutive products go to {@link Parallel}'s threads, each with its own views of the
 * scratch (sgemm reads a pointer from its position).
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
    /** Runs of consecutive products on several threads; null on one thread. */
    private final Parallel.Job runs;
    /** Each run's views of the scratch, made on the first call (the scratch is allocated after compilation). */
    private FloatPointer[][] views;

    /** @param resident whether each operand is already in the scratch, left there by the previous product; may be null */
    public BatchedMatMulKernel(Buf a, Buf b, Buf c, MatMulLayout layout, int maxThreads, MatMulScratch scratch,
                               boolean[] resident) {
        this.a = a;
        this.b = b;
        this.c = c;
        this.p = layout;
        this.threads = (long) layout.count() * layout.m() * layout.n() * layout.k() >= Blas.MULTITHREAD_MIN_FMAS
                && layout.count() > 1 ? maxThreads : 1;
        this.scratch = scratch;
        this.copyA = resident == null || !resident[0];
        this.copyB = resident == null || !resident[1];
        scratch.require(layout.aSize(), layout.bSize(), layout.count() * layout.m() * layout.n());
        this.runs = threads > 1 ? new Parallel.Job(Math.min(layout.count(), 2 * threads), this::products) : null;
    }

    /** Products [from(i), from(i + 1)) of the stack. */
    private void products(int i) {
        int tasks = runs == null ? 1 : runs.tasks();
        FloatPointer[] v = views[i];
        int lda = p.transA() ? p.m() : p.k();
        int ldb = p.transB() ? p.k() : p.n();
        int mn = p.m() * p.n();
        for (int s = Parallel.start(i, tasks, p.count(), 1); s < Parallel.start(i + 1, tasks, p.count(), 1); s++) {
            v[0].position(p.aOffsets()[s]);
            v[1].position(p.bOffsets()[s]);
            v[2].position((long) s * mn);
            Blas.sgemm(p.transA(), p.transB(), p.m(), p.n(), p.k(), v[0], lda, v[1], ldb, v[2], p.n());
        }
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
        if (views == null) {
            views = new FloatPointer[runs == null ? 1 : runs.tasks()][];
            for (int i = 0; i < views.length; i++) {
                views[i] = new FloatPointer[] {new FloatPointer(sa), new FloatPointer(sb), new FloatPointer(sc)};
            }
        }
        Blas.threads(1);
        if (runs != null) {
            Parallel.of(threads).run(runs);
        } else {
            products(0);
        }
        sc.get(out, 0, p.count() * mn);
    }
}
