package dev.theta.backend.cpu.kernels;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.presets.openblas_nolapack;
import org.bytedeco.openblas.global.openblas;

/**
 * The OpenBLAS sgemm binding (bytedeco), called on off-heap copies of the operands: measured here, copying into
 * preallocated {@link FloatPointer}s and calling the pointer overload is faster than JavaCPP's {@code float[]}
 * overload, which pins or copies all three arrays in and out on every call.
 */
public final class Blas {
    /** Products smaller than this many multiply-adds run on one thread: waking OpenBLAS's pool costs more. */
    static final long MULTITHREAD_MIN_FMAS = 4L << 20;
    private static int currentThreads = -1;
    private static ThreadSetter setter;

    private Blas() {
    }

    /**
     * OpenBLAS's thread count is process-wide; set it only when it changes. The presets' own
     * {@code blas_set_num_threads} looks up symbols and allocates on every call, so the function pointer is
     * resolved once here and called directly.
     */
    static synchronized void threads(int n) {
        if (n != currentThreads) {
            if (setter == null) {
                org.bytedeco.openblas.presets.openblas.blas_set_num_threads(n);
                setter = new ThreadSetter();
                setter.put(Loader.addressof("openblas_set_num_threads"));
            }
            setter.call(n);
            currentThreads = n;
        }
    }

    /** Gives access to the presets' protected allocating constructor. */
    private static final class ThreadSetter extends openblas_nolapack.SetNumThreads {
        ThreadSetter() {
            super();
        }
    }

    /** Whether the native library loads on this machine; null when it does, otherwise why not. */
    public static String unavailableReason() {
        try {
            threads(1);
            return null;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return "OpenBLAS (org.bytedeco:openblas) does not load here: " + e.getMessage();
        }
    }

    /** Row-major C[m, n] = op(A) · op(B) on off-heap buffers. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      FloatPointer a, int lda, FloatPointer b, int ldb, FloatPointer c, int ldc) {
        sgemm(transA, transB, m, n, k, a, lda, b, ldb, 0f, c, ldc);
    }

    /** Row-major C[m, n] = op(A) · op(B) + beta · C: beta 1 adds the product into C. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      FloatPointer a, int lda, FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        openblas.cblas_sgemm(openblas.CblasRowMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc);
    }
}
