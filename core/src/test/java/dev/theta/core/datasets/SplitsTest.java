package dev.theta.core.datasets;

import dev.theta.api.data.InMemoryDataset;
import dev.theta.api.spi.Dataset;
import dev.theta.api.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SplitsTest {

    /** n examples with two features (i, 10 i) and label i % 3, so every example can be traced back. */
    private static InMemoryDataset numbered(int n) {
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 * i;
            y[i] = i % 3;
        }
        return InMemoryDataset.classification(Shape.of(2), x, y, 3, List.of("a", "b", "c"), "numbered");
    }

    private static int[] ids(Dataset d) {
        int[] ids = new int[d.size()];
        for (int r = 0; r < d.size(); r++) {
            ids[r] = (int) d.features().floats()[2 * r];
            assertEquals(10f * ids[r], d.features().floats()[2 * r + 1], "features stay together");
            assertEquals(ids[r] % 3, d.targets().longs()[r], "the label stays with its example");
        }
        return ids;
    }

    @Test
    void splitSizesFollowRoundedFractionAndCoverEveryExampleOnce() {
        Splits.TrainTest parts = Splits.split(numbered(101), 0.25, 7);
        assertEquals(25, parts.test().size()); // round(25.25)
        assertEquals(76, parts.train().size());
        Set<Integer> seen = new HashSet<>();
        for (int id : ids(parts.train())) {
            seen.add(id);
        }
        for (int id : ids(parts.test())) {
            seen.add(id);
        }
        assertEquals(101, seen.size());
        assertEquals(numbered(1).spec(), parts.train().spec());
        assertEquals(Shape.of(25, 2), parts.test().features().shape());
        assertEquals(Shape.of(25), parts.test().targets().shape());
        assertEquals(3, Splits.split(numbered(10), 0.25, 7).test().size()); // round(2.5) = 3
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        int[] a = ids(Splits.split(numbered(50), 0.2, 42).test());
        int[] b = ids(Splits.split(numbered(50), 0.2, 42).test());
        int[] c = ids(Splits.split(numbered(50), 0.2, 43).test());
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    @Test
    void shuffleIsTheDocumentedFisherYates() {
        // new Random(1): nextInt(3) = 0, then nextInt(2) = 1 -> [2, 1, 0] after swapping 2<->0 and 1<->1.
        Random r = new Random(1);
        int j2 = r.nextInt(3);
        int j1 = r.nextInt(2);
        int[] expected = {0, 1, 2};
        int t = expected[2];
        expected[2] = expected[j2];
        expected[j2] = t;
        t = expected[1];
        expected[1] = expected[j1];
        expected[j1] = t;
        assertArrayEquals(expected, Splits.shuffledIndices(3, 1));
    }

    @Test
    void fractionZeroKeepsEverythingForTraining() {
        Splits.TrainTest parts = Splits.split(numbered(5), 0, 1);
        assertEquals(0, parts.test().size());
        assertEquals(5, parts.train().size());
    }

    @Test
    void badFractions() {
        assertThrows(IllegalArgumentException.class, () -> Splits.split(numbered(5), 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.split(numbered(5), -0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.split(numbered(5), Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.split(numbered(2), 0.9, 1));
    }

    @Test
    void standardisationUsesTrainStatisticsOnly() {
        // Train: feature 0 = 1, 3 (mean 2, std 1); feature 1 constant 5 (std 0: centred only).
        InMemoryDataset train = InMemoryDataset.classification(Shape.of(2), new float[]{1, 5, 3, 5}, new long[]{0, 1}, 2,
                List.of("a", "b"), "train");
        InMemoryDataset test = InMemoryDataset.classification(Shape.of(2), new float[]{100, 7}, new long[]{1}, 2,
                List.of("a", "b"), "test");
        Splits.TrainTest out = standardize(new Splits.TrainTest(train, test));

        assertArrayEquals(new float[]{-1, 0, 1, 0}, out.train().features().floats());
        assertArrayEquals(new float[]{98, 2}, out.test().features().floats());
        assertArrayEquals(new float[]{1, 5, 3, 5}, train.features().floats(), "inputs are not modified");
        assertArrayEquals(test.targets().longs(), out.test().targets().longs());
    }

    @Test
    void standardisedTrainPartHasZeroMeanAndUnitStd() {
        Splits.TrainTest parts = standardize(Splits.split(numbered(200), 0.3, 3));
        Standardization again = Standardization.fit(parts.train());
        for (float m : again.mean()) {
            assertEquals(0, m, 1e-5);
        }
        for (float s : again.std()) {
            assertEquals(1, s, 1e-5);
        }
    }

    /** Both parts standardised with the train part's statistics, as a run with {@code standardize: true} does. */
    private static Splits.TrainTest standardize(Splits.TrainTest parts) {
        Standardization s = Standardization.fit(parts.train());
        return new Splits.TrainTest(s.apply(parts.train()), s.apply(parts.test()));
    }
}
