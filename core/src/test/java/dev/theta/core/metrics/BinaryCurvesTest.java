package dev.theta.core.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** ROC and precision-recall points against values worked out by hand (scikit-learn gives the same). */
class BinaryCurvesTest {
    private static void assertPoints(double[][] expected, List<double[]> actual) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual.get(i), 1e-12, "point " + i);
        }
    }

    @Test
    void onePointPerDistinctScoreWithTiesTogether() {
        // Scores 0.9 (pos), 0.8 (neg), 0.5 (pos), 0.5 (neg), 0.1 (neg): 2 positives, 3 negatives.
        BinaryCurves c = BinaryCurves.of(new float[] {0.5f, 0.9f, 0.1f, 0.8f, 0.5f}, new long[] {1, 1, 0, 0, 0}, 5, 100);
        assertPoints(new double[][] {{0, 0}, {0, 0.5}, {1.0 / 3, 0.5}, {2.0 / 3, 1}, {1, 1}}, c.roc());
        assertPoints(new double[][] {{0.5, 1}, {0.5, 0.5}, {1, 0.5}, {1, 0.4}}, c.precisionRecall());
    }

    @Test
    void longCurvesAreThinnedKeepingTheEnds() {
        int n = 1000;
        float[] scores = new float[n];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            scores[i] = i;
            labels[i] = i % 2;
        }
        BinaryCurves c = BinaryCurves.of(scores, labels, n, 50);
        assertEquals(50, c.roc().size());
        assertArrayEquals(new double[] {0, 0}, c.roc().get(0));
        assertArrayEquals(new double[] {1, 1}, c.roc().get(49));
        assertEquals(1.0, c.precisionRecall().get(49)[0]);
    }

    @Test
    void undefinedWithoutBothClasses() {
        assertNull(BinaryCurves.of(new float[] {1, 2}, new long[] {1, 1}, 2, 100));
    }
}
