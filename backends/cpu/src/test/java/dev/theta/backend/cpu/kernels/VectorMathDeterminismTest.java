package dev.theta.backend.cpu.kernels;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link VectorMath} gives the same bits compiled by C2 as interpreted (a child JVM with {@code -Xint}, where the
 * vector API runs its Java fallback): otherwise a seeded run depends on when the JIT compiled a loop.
 */
class VectorMathDeterminismTest {
    private static final int N = 4099;
    private static final int ROW = 131;

    /** exp, erf and softmax rows of fixed inputs, as one line of hexadecimal float bits. */
    static String outputs() {
        Random r = new Random(11);
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = i % 97 == 0 ? -1e9f : -110f + 200f * r.nextFloat();
        }
        float[] erfIn = new float[N];
        for (int i = 0; i < N; i++) {
            erfIn[i] = (float) (3 * r.nextGaussian());
        }
        float[] exp = new float[N];
        float[] erf = new float[N];
        float[] softmax = new float[N];
        float[] logSoftmax = new float[N];
        VectorMath.exp(x, exp, 0, N);
        VectorMath.erf(erfIn, erf, 0, N);
        for (int row = 0; row + ROW <= N; row += ROW) {
            VectorMath.softmaxRow(erfIn, softmax, row, ROW, false);
            VectorMath.softmaxRow(erfIn, logSoftmax, row, ROW, true);
        }
        StringBuilder s = new StringBuilder();
        for (float[] out : new float[][] {exp, erf, softmax, logSoftmax}) {
            for (float v : out) {
                s.append(Integer.toHexString(Float.floatToRawIntBits(v))).append(' ');
            }
        }
        return s.toString();
    }

    /** Run by the child JVM. */
    public static void main(String[] args) {
        System.out.println(outputs());
    }

    @Test
    void compiledAndInterpretedGiveTheSameBits() throws IOException, InterruptedException {
        assertTrue(VectorApi.AVAILABLE, "the tests run with --add-modules jdk.incubator.vector");
        String compiled = null;
        // Enough calls for C2 to compile the loops (and the vector API's intrinsics) here.
        for (int i = 0; i < 300; i++) {
            compiled = outputs();
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xint", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                VectorMathDeterminismTest.class.getName()));
        Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String interpreted = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the interpreted child finished");
        assertEquals(0, child.exitValue());
        String[] a = compiled.strip().split(" ");
        String[] b = interpreted.split(" ");
        assertEquals(a.length, b.length);
        int differing = 0;
        int first = -1;
        for (int i = 0; i < a.length; i++) {
            if (!a[i].equals(b[i])) {
                differing++;
                first = first < 0 ? i : first;
            }
        }
        assertEquals(0, differing, differing + " of " + a.length + " results differ, the first at " + first
                + " (exp, erf, softmax, log softmax: " + N + " each)");
    }
}
