package dev.theta.backend.cpu.kernels;

/**
 * Decides which matrix products run as {@link NarrowMatMulKernel} (the JDK's vector API) instead of through OpenBLAS.
 * <p>
 * OpenBLAS reaches only ~25 GFLOP/s on products with ten output columns (softmax regression's x·W and xᵀ·g, an
 * MLP's last layer): it copies ("packs") the 400 KB batch before each one and pads the ten columns to its kernel's
 * width. Reading the operands in place with vector registers is ~2× faster there (docs/benchmarks.md).
 * <p>
 * Where the vector API is not {@linkplain VectorApi#AVAILABLE available}, every product goes to OpenBLAS. This class
 * holds no vector types, so it loads either way; the kernel class is loaded only when {@link #AVAILABLE} is true.
 */
public final class NarrowProducts {
    /** Whether the vector API is resolved in this JVM and not turned off. */
    public static final boolean AVAILABLE = VectorApi.AVAILABLE;
    /** Products with at most this many output columns qualify (the kernel keeps 10 accumulators in registers). */
    public static final int MAX_COLUMNS = 16;
    /**
     * The vector loops run along k (A as is) or m (A transposed); shorter than this (two AVX-512 vectors), most of
     * the work would be scalar tails, so such products stay on OpenBLAS.
     */
    public static final int MIN_VECTOR_LENGTH = 32;

    private NarrowProducts() {
    }

    /**
     * Whether C[m, n] = op(A) · op(B) should run as a {@link NarrowMatMulKernel} where {@link #AVAILABLE}: B not
     * transposed, few output columns, vector loops long enough. Size does not matter: at batch 1024 the kernel on one
     * core still beats OpenBLAS on two (softmax regression's x·W: 0.36–0.41 against 1.1–1.2 ms).
     */
    public static boolean applies(boolean transA, boolean transB, int m, int n, int k) {
        return !transB && n >= 1 && n <= MAX_COLUMNS && (transA ? m : k) >= MIN_VECTOR_LENGTH;
    }

    /** The kernel; call only when {@link #applies} said so. */
    public static Kernel kernel(Buf a, boolean transA, Buf b, Buf c, int m, int n, int k) {
        return new NarrowMatMulKernel(a, transA, b, c, m, n, k);
    }
}
