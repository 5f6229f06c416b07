package dev.theta.core.training;

import java.util.Random;

/**
 * The order of the training examples: a seeded generator reshuffles it once per epoch. Its whole state is the seed
 * and the number of shuffles made, so a checkpoint stores those two numbers and {@link #replay} restores the order.
 * Public so that a loop elsewhere (data-parallel training) visits the examples in the order this loop does.
 */
public final class Shuffler {
    private final long seed;
    private final Random random;
    private final int[] order;
    private int shuffles;

    public Shuffler(long seed, int n) {
        this.seed = seed;
        this.random = new Random(seed);
        this.order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
    }

    /** A shuffler that has made {@code shuffles} shuffles. */
    public static Shuffler replay(long seed, int n, int shuffles) {
        Shuffler s = new Shuffler(seed, n);
        for (int i = 0; i < shuffles; i++) {
            s.shuffle();
        }
        return s;
    }

    /** Fisher-Yates with the seeded generator, so the batch order is a function of the seed. */
    public void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        shuffles++;
    }

    /** The current order; shuffled in place by {@link #shuffle}. */
    public int[] order() {
        return order;
    }

    public long seed() {
        return seed;
    }

    public int shuffles() {
        return shuffles;
    }
}
