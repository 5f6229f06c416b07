package dev.theta.bench;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

/**
 * Standalone float32 GEMM benchmark: C(m x n) = op(A) * B, row-major.
 * transA: A is stored k x m (row-major) and used transposed, else A is m x k.
 * Prints GFLOP/s (2mnk / median time) per candidate and shape.
 */
public final class SgemmBench {

    record Shape(String name, int m, int n, int k, boolean transA) {
        double flops() { return 2.0 * m * n * k; }
    }

    /** One sgemm implementation operating on heap arrays (row-major semantics). */
    interface Gemm {
        void run(Shape s, float[] a, float[] b, float[] c);
        default void prepare(Shape s, float[] a, float[] b) {}
        default void finish(float[] c) {}
        default void release() {}
    }

    static final double MAX_CALL_SEC = 8.0;

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        List<Shape> shapes = List.of(
                new Shape("256^3", 256, 256, 256, false),
                new Shape("512^3", 512, 512, 512, false),
                new Shape("1024^3", 1024, 1024, 1024, false),
                new Shape("2048^3", 2048, 2048, 2048, false),
                new Shape("128x784*784x256", 128, 256, 784, false),
                new Shape("128x256*256x10", 128, 10, 256, false),
                new Shape("(128x784)^T*128x256", 784, 256, 128, true),
                new Shape("1024x784*784x512", 1024, 512, 784, false),
                new Shape("1024x512*512x512", 1024, 512, 512, false));

        System.out.println("java " + Runtime.version() + " cores=" + Runtime.getRuntime().availableProcessors());
        System.out.println("env OPENBLAS_NUM_THREADS=" + System.getenv("OPENBLAS_NUM_THREADS")
                + " OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE")
                + " OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS"));

        Map<String, Gemm> cands = new LinkedHashMap<>();

        // --- bytedeco openblas (bundled native lib, extracted by JavaCPP Loader) ---
        long t0 = System.nanoTime();
        Loader.load(openblas_nolapack.class);
        System.out.printf("bytedeco Loader.load(openblas_nolapack) %.0f ms, cacheDir=%s, threads=%d, vendor=%d%n",
                (System.nanoTime() - t0) / 1e6, Loader.getCacheDir(),
                openblas_nolapack.blas_get_num_threads(), openblas_nolapack.blas_get_vendor());
        cands.put("bytedeco-FloatPointer", new Gemm() {
            FloatPointer pa, pb, pc;
            public void prepare(Shape s, float[] a, float[] b) {
                pa = new FloatPointer(a); pb = new FloatPointer(b);
                pc = new FloatPointer((long) s.m() * s.n());
            }
            public void run(Shape s, float[] a, float[] b, float[] c) {
                cblas_sgemm(CblasRowMajor, s.transA() ? CblasTrans : CblasNoTrans, CblasNoTrans,
                        s.m(), s.n(), s.k(), 1f, pa, s.transA() ? s.m() : s.k(), pb, s.n(), 0f, pc, s.n());
            }
            public void finish(float[] c) { pc.get(c); }
            public void release() { pa.close(); pb.close(); pc.close(); }
        });
        cands.put("bytedeco-directFloatBuffer", new Gemm() {
            FloatBuffer fa, fb, fc;
            FloatBuffer direct(int n) {
                return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            }
            public void prepare(Shape s, float[] a, float[] b) {
                fa = direct(a.length).put(a); fa.flip();
                fb = direct(b.length).put(b); fb.flip();
                fc = direct(s.m() * s.n());
            }
            public void run(Shape s, float[] a, float[] b, float[] c) {
                cblas_sgemm(CblasRowMajor, s.transA() ? CblasTrans : CblasNoTrans, CblasNoTrans,
                        s.m(), s.n(), s.k(), 1f, fa, s.transA() ? s.m() : s.k(), fb, s.n(), 0f, fc, s.n());
            }
            public void finish(float[] c) { fc.get(0, c); }
        });
        cands.put("bytedeco-heap-float[]", (s, a, b, c) ->
                cblas_sgemm(CblasRowMajor, s.transA() ? CblasTrans : CblasNoTrans, CblasNoTrans,
                        s.m(), s.n(), s.k(), 1f, a, s.transA() ? s.m() : s.k(), b, s.n(), 0f, c, s.n()));

        // --- dev.ludovic.netlib (column-major Fortran API; row-major C = col-major C^T = B^T A^T) ---
        try {
            BLAS nb = NativeBLAS.getInstance();
            System.out.println("netlib NativeBLAS -> " + nb.getClass().getName());
            cands.put("netlib-JNIBLAS(system)", netlib(nb));
        } catch (Throwable t) {
            System.out.println("netlib NativeBLAS unavailable: " + t);
        }
        try {
            BLAS jb = JavaBLAS.getInstance();
            System.out.println("netlib JavaBLAS -> " + jb.getClass().getName());
            cands.put("netlib-" + jb.getClass().getSimpleName(), netlib(jb));
        } catch (Throwable t) {
            System.out.println("netlib JavaBLAS unavailable: " + t);
        }
        cands.put("naive-java", SgemmBench::naive);

        // --- run ---
        Random rnd = new Random(42);
        Map<String, Map<String, String>> table = new LinkedHashMap<>();
        for (Shape s : shapes) {
            float[] a = new float[s.m() * s.k()];
            float[] b = new float[s.k() * s.n()];
            for (int i = 0; i < a.length; i++) a[i] = rnd.nextFloat() - 0.5f;
            for (int i = 0; i < b.length; i++) b[i] = rnd.nextFloat() - 0.5f;
            float[] ref = null;
            for (var e : cands.entrySet()) {
                String name = e.getKey();
                Gemm g = e.getValue();
                if (name.equals("naive-java") && s.flops() > 2.0 * 512 * 512 * 512) {
                    table.computeIfAbsent(name, x -> new LinkedHashMap<>()).put(s.name(), "skip");
                    continue;
                }
                float[] c = new float[s.m() * s.n()];
                g.prepare(s, a, b);
                long first = time(() -> g.run(s, a, b, c));
                String cell;
                if (first / 1e9 > MAX_CALL_SEC) {
                    cell = String.format("%.2f*", s.flops() / first);  // single call only
                } else {
                    // warm up ~0.3 s (at least 3 calls), then >=7 reps (more for tiny shapes)
                    long warmEnd = System.nanoTime() + 300_000_000L;
                    for (int i = 0; i < 3 || System.nanoTime() < warmEnd; i++) g.run(s, a, b, c);
                    int reps = (int) Math.max(7, Math.min(201, 0.4e9 / Math.max(first, 1)));
                    long[] ts = new long[reps];
                    for (int r = 0; r < reps; r++) ts[r] = time(() -> g.run(s, a, b, c));
                    Arrays.sort(ts);
                    cell = String.format("%.2f", s.flops() / ts[reps / 2]);
                }
                g.finish(c);
                g.release();
                if (ref == null) ref = c.clone();
                else {
                    double err = 0;
                    for (int i = 0; i < c.length; i++) err = Math.max(err, Math.abs(c[i] - ref[i]));
                    if (err > 1e-3) cell += "(ERR " + String.format("%.1e", err) + ")";
                }
                table.computeIfAbsent(name, x -> new LinkedHashMap<>()).put(s.name(), cell);
                System.out.printf("  %-28s %-22s %s GFLOP/s%n", name, s.name(), cell);
            }
        }

        // --- table ---
        System.out.println();
        StringBuilder hdr = new StringBuilder(String.format("| %-26s |", "GFLOP/s (median)"));
        StringBuilder sep = new StringBuilder("|" + "-".repeat(28) + "|");
        for (Shape s : shapes) { hdr.append(' ').append(s.name()).append(" |"); sep.append("---:|"); }
        System.out.println(hdr);
        System.out.println(sep);
        for (var e : table.entrySet()) {
            StringBuilder row = new StringBuilder(String.format("| %-26s |", e.getKey()));
            for (Shape s : shapes) row.append(' ').append(e.getValue().getOrDefault(s.name(), "-")).append(" |");
            System.out.println(row);
        }
        System.out.println("(* = single call, >" + MAX_CALL_SEC + " s per call)");
    }

    static Gemm netlib(BLAS blas) {
        return (s, a, b, c) -> {
            if (s.transA()) {
                // A stored k x m row-major == col-major m x k (= A_op^T); need A_op (k x m) -> "T", lda = m
                blas.sgemm("N", "T", s.n(), s.m(), s.k(), 1f, b, s.n(), a, s.m(), 0f, c, s.n());
            } else {
                blas.sgemm("N", "N", s.n(), s.m(), s.k(), 1f, b, s.n(), a, s.k(), 0f, c, s.n());
            }
        };
    }

    static void naive(Shape s, float[] a, float[] b, float[] c) {
        int m = s.m(), n = s.n(), k = s.k();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    float av = s.transA() ? a[p * m + i] : a[i * k + p];
                    acc += av * b[p * n + j];
                }
                c[i * n + j] = acc;
            }
        }
    }

    static long time(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return System.nanoTime() - t;
    }
}
