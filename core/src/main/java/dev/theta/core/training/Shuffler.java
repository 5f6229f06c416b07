package dev.theta.core.training;

import java.util.Random;

/**
 * The order of the training examples: a seeded generator reshuffles it once per epoch. Its whole state is the seed
 * and the number of shuffles made, so a checkpoint stores those two numbers and {@link #replay} restores the order.
 */
final class Shuffler {
    private final long seed;
    private final Random random;
    private final int[] order;
    private int shuffles;

    Shuffler(long seed, int n) {
        this.seed = seed;
        this.random = new Random(seed);
        this.order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
    }

    /** A shuffler that has made {@code shuffles} shuffles. */
    static Shuffler replay(long seed, int n, int shuffles) {
        Shuffler s = new Shuffler(seed, n);
        for (int i = 0; i < shuffles; i++) {
            s.shuffle();
        }
        return s;
    }

    /** Fisher-Yates with the seeded generator, so the batch order is a function of the seed. */
    void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        shuffles++;
    }

    int[] order() {
        return order;
    }

    long seed() {
        return seed;
    }

    int shuffles() {
        return shuffles;
    }
}
