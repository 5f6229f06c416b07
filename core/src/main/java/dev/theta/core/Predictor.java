package dev.theta.core;

/** Scores for a batch of examples: what a {@link Model} runs, in theta or in ONNX Runtime. */
interface Predictor extends AutoCloseable {
    /** Scores of {@code n} examples whose features are the rows of {@code features}: {@code n * k} values. */
    float[] scores(float[] features, int n);

    @Override
    void close();
}
