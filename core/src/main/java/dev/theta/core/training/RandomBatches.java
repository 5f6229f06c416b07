package dev.theta.core.training;

import java.util.SplittableRandom;

/**
 * Example indices drawn uniformly at random with replacement, as nanoGPT's {@code get_batch} draws them. The batch
 * of training step t comes from a generator seeded with (seed, t) alone, so a resumed run draws the same batches
 * with no generator state in its checkpoint; an evaluation sample comes from (seed, split), the same every time.
 */
final class RandomBatches {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private RandomBatches() {
    }

    /** The {@code count} example indices in [0, n) of training step {@code step} (1-based). */
    static int[] training(long seed, long step, int n, int count) {
        return new SplittableRandom(seed * GOLDEN ^ step).ints(count, 0, n).toArray();
    }

    /** The {@code count} example indices in [0, n) that every evaluation of {@code split} reads. */
    static int[] evaluation(long seed, String split, int n, int count) {
        return new SplittableRandom(seed * GOLDEN ^ ((long) split.hashCode() << 32)).ints(count, 0, n).toArray();
    }
}
