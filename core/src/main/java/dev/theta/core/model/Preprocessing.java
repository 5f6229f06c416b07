package dev.theta.core.model;

import dev.theta.api.graph.Value;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.core.datasets.Standardization;

/**
 * What training did to the features before the hypothesis saw them (standardisation with training statistics).
 * Exported models apply it themselves, so that they take raw features like the data files hold.
 */
public record Preprocessing(Standardization standardization) {
    public static final Preprocessing NONE = new Preprocessing(null);

    /** The hypothesis preceded by this preprocessing, written with graph primitives. */
    public Hypothesis wrap(Hypothesis hypothesis, DataSpec spec) {
        if (standardization == null) {
            return hypothesis;
        }
        float[] mean = standardization.mean();
        float[] scale = standardization.std();
        for (int i = 0; i < scale.length; i++) {
            // A constant feature is only centred, as in training.
            scale[i] = scale[i] == 0 ? 1 : scale[i];
        }
        Shape shape = spec.featureShape();
        return (params, x) -> hypothesis.scores(params,
                x.sub(x.graph().constant(Tensor.of(shape, mean))).div(x.graph().constant(Tensor.of(shape, scale))));
    }
}
