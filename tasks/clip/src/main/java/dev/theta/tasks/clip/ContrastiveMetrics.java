package dev.theta.tasks.clip;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a trained dual encoder achieves on a test split: zero-shot classification accuracy with the held-out prompts,
 * and recall@1 and @5 of image→text and text→image retrieval among the first {@code retrievalPairs} test pairs.
 */
public record ContrastiveMetrics(double zeroShotAccuracy, long zeroShotExamples, double imageToTextRecall1,
                                 double imageToTextRecall5, double textToImageRecall1, double textToImageRecall5,
                                 int retrievalPairs, double seconds) {

    /** The metrics under the names a metrics line uses (zero_shot_accuracy, i2t_recall@1, ...). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zero_shot_accuracy", zeroShotAccuracy);
        m.put("zero_shot_examples", zeroShotExamples);
        m.put("i2t_recall@1", imageToTextRecall1);
        m.put("i2t_recall@5", imageToTextRecall5);
        m.put("t2i_recall@1", textToImageRecall1);
        m.put("t2i_recall@5", textToImageRecall5);
        m.put("retrieval_pairs", retrievalPairs);
        m.put("seconds", seconds);
        return m;
    }
}
