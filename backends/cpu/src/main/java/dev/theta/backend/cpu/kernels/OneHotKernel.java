package dev.theta.backend.cpu.kernels;

import java.util.Arrays;

/** float32 one-hot rows of length {@code depth} for int64 indices. */
public final class OneHotKernel implements Kernel {
    private final Buf indices;
    private final Buf out;
    private final int count;
    private final int depth;

    public OneHotKernel(Buf indices, int count, int depth, Buf out) {
        this.indices = indices;
        this.out = out;
        this.count = count;
        this.depth = depth;
    }

    @Override
    public void run() {
        long[] idx = indices.longs();
        float[] y = out.floats();
        Arrays.fill(y, 0, count * depth, 0f);
        for (int i = 0; i < count; i++) {
            y[i * depth + Indices.check("OneHot", idx[i], depth, i)] = 1f;
        }
    }
}
