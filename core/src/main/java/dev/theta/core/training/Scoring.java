package dev.theta.core.training;

import dev.theta.api.spi.Decision;

/** Turns scores into predicted labels and counts the correct ones. */
public final class Scoring {
    private Scoring() {
    }

    /**
     * Correct predictions among the {@code positions} classes of each of {@code count} examples, whose scores are
     * rows of {@code scores} ([count · positions, k], or [count · positions] for one score) starting at the row of
     * example {@code firstExample}, and whose targets are {@code targets[order[from + i] · positions + t]} (or
     * {@code from + i} in place of {@code order[from + i]} when {@code order} is null).
     */
    public static int correct(Decision decision, float[] scores, int firstExample, int k, int positions, long[] targets, int[] order,
                       int from, int count) {
        if (decision == Decision.NONE) {
            return 0;
        }
        int correct = 0;
        for (int i = 0; i < count; i++) {
            int example = order == null ? from + i : order[from + i];
            for (int t = 0; t < positions; t++) {
                if (predict(decision, scores, (firstExample + i) * positions + t, k) == targets[example * positions + t]) {
                    correct++;
                }
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
