package dev.theta.bench;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

import java.util.Arrays;

/**
 * The machine's measured sgemm ceiling: OpenBLAS (the CPU backend's BLAS) on off-heap operands, all threads, on a
 * large square product and on the largest benchmark shape. Prints the best of the two medians in GFLOP/s as the
 * last line, so scripts can read it.
 */
public final class SgemmCeiling {
    private SgemmCeiling() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        openblas.blas_set_num_threads(threads);
        double square = median(1024, 1024, 1024);
        double mlp = median(1024, 512, 784);
        System.out.printf("sgemm 1024^3: %.1f GFLOP/s; 1024x784*784x512: %.1f GFLOP/s (%d threads)%n", square, mlp, threads);
        System.out.printf("%.1f%n", Math.max(square, mlp));
    }

    private static double median(int m, int n, int k) {
        try (FloatPointer a = new FloatPointer((long) m * k); FloatPointer b = new FloatPointer((long) k * n);
             FloatPointer c = new FloatPointer((long) m * n)) {
            float[] fill = new float[Math.max(m * k, k * n)];
            Arrays.fill(fill, 0.5f);
            a.put(fill, 0, m * k);
            b.put(fill, 0, k * n);
            double[] g = new double[15];
            for (int rep = -5; rep < g.length; rep++) {
                long t0 = System.nanoTime();
                openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, m, n, k,
                        1f, a, k, b, n, 0f, c, n);
                long dt = System.nanoTime() - t0;
                if (rep >= 0) {
                    g[rep] = 2.0 * m * n * k / dt;
                }
            }
            Arrays.sort(g);
            return g[g.length / 2];
        }
    }
}
