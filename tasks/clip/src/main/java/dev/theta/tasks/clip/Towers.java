package dev.theta.tasks.clip;

/**
 * Embeds images and captions with a trained dual encoder, wherever it runs (a theta backend, or the exported
 * towers in ONNX Runtime). Embeddings come back as unit rows, row-major [n, d].
 */
public interface Towers extends AutoCloseable {
    /** Embeddings of {@code n} images, rows of {@code pixels} [n, imageSize]. */
    float[] images(float[] pixels, int n);

    /** Embeddings of {@code n} captions, rows of {@code tokens} [n, maxTokens]. */
    float[] texts(long[] tokens, int n);

    @Override
    default void close() {
    }
}
