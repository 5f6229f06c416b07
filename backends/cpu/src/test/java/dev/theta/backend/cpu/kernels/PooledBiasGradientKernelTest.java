package dev.theta.backend.cpu.kernels;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The branch-free mask of the pooled bias gradient is {@code v > 0 ? u : 0f}, bit for bit, at every edge of v. */
class PooledBiasGradientKernelTest {
    private static void check(float u, float v) {
        assertEquals(Float.floatToRawIntBits(v > 0f ? u : 0f),
                Float.floatToRawIntBits(PooledBiasGradientKernel.masked(u, v)), "u " + u + ", v " + v);
    }

    @Test
    void masksExactlyWhereTheComparisonDoes() {
        float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1f, -1f, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xff800001)};
        for (float v : edges) {
            for (float u : new float[] {2.5f, -3f, -0f, Float.NaN, Float.NEGATIVE_INFINITY}) {
                check(u, v);
            }
        }
        Random r = new Random(5);
        for (int i = 0; i < 100_000; i++) {
            check(Float.intBitsToFloat(r.nextInt()), Float.intBitsToFloat(r.nextInt()));
        }
    }
}
