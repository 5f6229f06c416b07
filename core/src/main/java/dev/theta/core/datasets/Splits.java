package dev.theta.core.datasets;

import dev.theta.api.data.InMemoryDataset;
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
        return split(data, testFraction, seed, false, "test");
    }

    /**
     * As {@link #split(Dataset, double, long)}, or, when {@code stratify}, per class: each class's examples are
     * shuffled alike and the first {@code round(fraction * n_c)} of each go to the held-out part, so every class keeps
     * its share in both parts; the parts list the classes in turn (class 0's first, then class 1's...). {@code role}
     * names the held-out part in sources and errors ("test", "validation").
     */
    public static TrainTest split(Dataset data, double fraction, long seed, boolean stratify, String role) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException(role + " fraction must be in [0, 1), got " + fraction);
        }
        if (stratify && data.spec().positions() > 1) {
            throw new IllegalArgumentException("stratify splits by each example's class; these examples have a class at each of "
                    + data.spec().positions() + " positions: drop data.stratify");
        }
        int n = data.size();
        int[] order = shuffledIndices(n, seed);
        int[] heldOut;
        int[] kept;
        if (stratify && data.spec().isClassification()) {
            int[][] parts = stratified(order, data.targets().longs(), data.spec().classes(), fraction);
            heldOut = parts[0];
            kept = parts[1];
        } else {
            int size = (int) Math.round(fraction * n);
            heldOut = Arrays.copyOfRange(order, 0, size);
            kept = Arrays.copyOfRange(order, size, n);
        }
        if (kept.length == 0) {
            throw new IllegalArgumentException(role + " fraction " + fraction + " of " + n + " examples leaves none for training");
        }
        String how = " (seed " + seed + ", " + role + " fraction " + fraction + (stratify ? ", stratified" : "") + ")";
        return new TrainTest(select(data, kept, data.source() + " train part" + how),
                select(data, heldOut, data.source() + " " + role + " part" + how));
    }

    /** {held out, kept}: the shuffled {@code order} cut class by class. */
    private static int[][] stratified(int[] order, long[] labels, int classes, double fraction) {
        int[] perClass = new int[classes];
        for (int i : order) {
            perClass[(int) labels[i]]++;
        }
        int[] taken = new int[classes];
        int heldOutSize = 0;
        for (int c = 0; c < classes; c++) {
            heldOutSize += (int) Math.round(fraction * perClass[c]);
        }
        int[] heldOut = new int[heldOutSize];
        int[] kept = new int[order.length - heldOutSize];
        int h = 0;
        int k = 0;
        for (int c = 0; c < classes; c++) {
            int quota = (int) Math.round(fraction * perClass[c]);
            for (int i : order) {
                if (labels[i] == c) {
                    if (taken[c]++ < quota) {
                        heldOut[h++] = i;
                    } else {
                        kept[k++] = i;
                    }
                }
            }
        }
        return new int[][] {heldOut, kept};
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
