package dev.theta.core;

import dev.theta.core.model.OnnxModel;

/** A saved {@code model.onnx}, run by ONNX Runtime. */
final class OnnxPredictor implements Predictor {
    private final OnnxModel model;
    private final int[] exampleShape;

    OnnxPredictor(OnnxModel model) {
        this.model = model;
        this.exampleShape = model.longestExampleShape();
    }

    @Override
    public float[] scores(float[] features, int n) {
        return model.predict(features, n, exampleShape).scores();
    }

    @Override
    public void close() {
        model.close();
    }
}
