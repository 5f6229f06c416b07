package dev.theta.api.spi;

import dev.theta.api.graph.Value;

/**
 * A hypothesis made of two towers, as in CLIP: each example's features are an image (the first {@link #imageSize}
 * float32 values) followed by a caption's token ids ({@link #maxTokens} values, stored as floats, 0 = padding). Its
 * scores are the N×N matrix of scaled cosine similarities between every image and every caption of the batch.
 * Callers that need the towers on their own (zero-shot evaluation, export) build them with the methods below, which
 * declare the same parameters under the same names as {@link #scores}.
 */
public interface DualEncoder extends Hypothesis {
    /** Features per example that belong to the image. */
    int imageSize();

    /** Token positions per caption: the features after the image. */
    int maxTokens();

    /** The text tower embeds token ids in [0, vocabularySize). */
    int vocabularySize();

    /** Unit-length image embeddings [N, d] of images [N, imageSize] (float32). */
    Value imageEmbedding(Parameters parameters, Value images);

    /** Unit-length caption embeddings [N, d] of token ids [N, maxTokens] (int64, 0 = padding). */
    Value textEmbedding(Parameters parameters, Value tokens);
}
