package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.RandomBits;

/** {@link RandomBits}: the counter's key once per run, then one permutation per element index. */
public final class RandomBitsKernel implements Kernel {
    private final long stream;
    private final Buf counter;
    private final Buf out;
    private final int size;

    public RandomBitsKernel(long stream, Buf counter, Buf out, int size) {
        this.stream = stream;
        this.counter = counter;
        this.out = out;
        this.size = size;
    }

    @Override
    public void run() {
        long key = RandomBits.key(stream, counter.longs()[0]);
        long[] y = out.longs();
        for (int i = 0; i < size; i++) {
            y[i] = RandomBits.permute(i, key);
        }
    }
}
