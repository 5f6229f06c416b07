package dev.theta.runner.datasets;

import dev.theta.api.spi.Dataset;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.Arrays;
import java.util.Random;

/** Dividing one dataset into train and test parts by a seeded fraction. */
public final class Splits {
    private Splits() {
    }

    /** A train part and a test part of one dataset. */
    public record TrainTest(Dataset train, Dataset test) {
    }

    /**
     * Shuffles the example indices with {@code new Random(seed)} (Fisher-Yates from the last index down, {@code
     * nextInt(i + 1)}) and gives the first {@code round(testFraction * n)} shuffled examples to the test part and the
     * rest to train, each in shuffled order. The same data, fraction and seed give the same split on every JVM. The split
     * is not stratified: with few examples per class, a class can be missing from the test part.
     *
     * @param testFraction in [0, 1); the train part must keep at least one example
     */
    public static TrainTest split(Dataset data, double testFraction, long seed) {
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in [0, 1), got " + testFraction);
        }
        int n = data.size();
        int testSize = (int) Math.round(testFraction * n);
        if (testSize == n) {
            throw new IllegalArgumentException("test fraction " + testFraction + " of " + n + " examples leaves none for training");
        }
        int[] order = shuffledIndices(n, seed);
        int[] test = Arrays.copyOfRange(order, 0, testSize);
        int[] train = Arrays.copyOfRange(order, testSize, n);
        String how = " (seed " + seed + ", test fraction " + testFraction + ")";
        return new TrainTest(select(data, train, data.source() + " train part" + how),
                select(data, test, data.source() + " test part" + how));
    }

    /** The examples at {@code indices}, in that order, as a new in-memory dataset. */
    public static InMemoryDataset select(Dataset data, int[] indices, String source) {
        return new InMemoryDataset(data.spec(), rows(data.features(), indices), rows(data.targets(), indices), source);
    }

    static int[] shuffledIndices(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Rows (slices along the first dimension) of {@code t} at {@code indices}. */
    private static Tensor rows(Tensor t, int[] indices) {
        int[] dims = t.shape().dims();
        int width = dims[0] == 0 ? 0 : t.size() / dims[0];
        dims[0] = indices.length;
        Tensor out = Tensor.zeros(t.dtype(), Shape.of(dims));
        for (int r = 0; r < indices.length; r++) {
            if (t.dtype() == DType.INT64) {
                System.arraycopy(t.longs(), indices[r] * width, out.longs(), r * width, width);
            } else {
                System.arraycopy(t.floats(), indices[r] * width, out.floats(), r * width, width);
            }
        }
        return out;
    }
}
