package dev.theta.tasks.clip;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Recall@k and zero-shot accuracy on embeddings small enough to rank by hand. */
class ContrastiveEvaluationTest {
    @Test
    void recallCountsCandidatesStrictlyMoreSimilarThanTheTrueMatch() {
        // Rows are images, columns captions. Image 0 ranks its caption first, image 1 third; image 2's caption ties
        // with caption 0 (a duplicate caption scores the same), which does not push it down.
        double[] s = {
                0.9, 0.1, 0.2,
                0.8, 0.3, 0.5,
                0.7, 0.0, 0.7};
        assertEquals(2.0 / 3, ContrastiveEvaluation.recall(s, 3, 1, true), 1e-12);
        assertEquals(1.0, ContrastiveEvaluation.recall(s, 3, 3, true), 1e-12);
        // Every caption's own image is the most similar in its column.
        assertEquals(1.0, ContrastiveEvaluation.recall(s, 3, 1, false), 1e-12);
    }

    @Test
    void zeroShotPicksTheClassEmbeddingOfLargestCosine() {
        float[] classes = {1, 0, 0, 1};
        float[] images = {0.8f, 0.6f, 0.6f, 0.8f, -1, 0};
        assertEquals(2.0 / 3, ContrastiveEvaluation.zeroShotAccuracy(images, classes, new long[] {0, 1, 0}, 3), 1e-12);
    }
}
