package dev.theta.core.training;

import dev.theta.api.spi.Decision;

/** Turns scores into predicted labels and counts the correct ones. */
public final class Scoring {
    private Scoring() {
    }

    /**
     * Correct predictions among {@code count} examples whose scores are rows of {@code scores} ([count, k], or
     * [count] for one score) and whose targets are {@code targets[order[from + i]]} (or {@code targets[from + i]}
     * when {@code order} is null).
     */
    static int correct(Decision decision, float[] scores, int k, long[] targets, int[] order, int from, int count) {
        return correct(decision, scores, 0, k, targets, order, from, count);
    }

    /** As above, with the scores starting at row {@code firstRow} of {@code scores} (a slot of a stacked call). */
    static int correct(Decision decision, float[] scores, int firstRow, int k, long[] targets, int[] order, int from, int count) {
        if (decision == Decision.NONE) {
            return 0;
        }
        int correct = 0;
        for (int i = 0; i < count; i++) {
            long label = targets[order == null ? from + i : order[from + i]];
            if (predict(decision, scores, firstRow + i, k) == label) {
                correct++;
            }
        }
        return correct;
    }

    /** The predicted label of row {@code row}: the first largest score, or score > 0 for one score. */
    public static int predict(Decision decision, float[] scores, int row, int k) {
        if (decision == Decision.SIGN) {
            return scores[row] > 0 ? 1 : 0;
        }
        if (decision == Decision.NONE) {
            throw new IllegalArgumentException("real-valued predictions have no label");
        }
        int base = row * k;
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (scores[base + j] > scores[base + best]) {
                best = j;
            }
        }
        return best;
    }
}
