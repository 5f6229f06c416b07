package dev.theta.core.metrics;

import java.util.Arrays;
import java.util.Comparator;

/** The area under the ROC curve of one score per example, as the Mann-Whitney statistic (ties count half). */
public final class RocAuc {
    private RocAuc() {
    }

    /** AUC of {@code scores} for labels 1 (positive) against 0; NaN when one of the two classes is absent. */
    public static double of(float[] scores, long[] labels, int count) {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        long positives = 0;
        for (int i = 0; i < count; i++) {
            positives += labels[i] == 1 ? 1 : 0;
        }
        long negatives = count - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        // Sum of the (average, 1-based) ranks of the positives.
        double rankSum = 0;
        for (int start = 0; start < count; ) {
            int end = start;
            while (end + 1 < count && scores[order[end + 1]] == scores[order[start]]) {
                end++;
            }
            double averageRank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++) {
                if (labels[order[i]] == 1) {
                    rankSum += averageRank;
                }
            }
            start = end + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
