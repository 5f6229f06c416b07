package com.example.theta;

import dev.theta.api.graph.Value;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.options.OptionException;
import dev.theta.api.tensor.Shape;

/**
 * Focal loss (Lin et al. 2017): -(1 - p_y)^γ log p_y with p = softmax(h(x)). γ = 0 is cross-entropy; larger γ
 * down-weights examples that are already classified well. Only the forward computation is written here: theta
 * differentiates it and runs it on every backend.
 */
public final class FocalLoss implements LossProvider {
    @Override
    public String name() {
        return "focal";
    }

    @Override
    public String description() {
        return "focal loss -(1 - p_y)^gamma log p_y on softmax probabilities (example plugin)";
    }

    @Override
    public OptionSchema options() {
        return OptionSchema.of(Option.number("gamma", 2.0, Range.NON_NEGATIVE,
                "focusing parameter: 0 is cross-entropy, larger values down-weight well-classified examples"));
    }

    @Override
    public Loss create(Options options, DataSpec data) {
        if (!data.isClassification() || data.classes() < 2) {
            throw new OptionException(options.prefix(), "focal needs class-index targets with at least 2 classes");
        }
        float gamma = (float) options.getDouble("gamma");
        return new Loss() {
            @Override
            public int scores(DataSpec d) {
                return d.classes();
            }

            @Override
            public Value perExample(Value scores, Value target) {
                Value logP = scores.logSoftmax(1)
                        .gatherElements(target.reshape(Shape.of(target.shape().dim(0), 1)), 1)
                        .reshape(Shape.of(target.shape().dim(0)));
                Value modulation = logP.exp().rsub(1).pow(gamma);
                return modulation.mul(logP).neg();
            }

            @Override
            public Decision decision() {
                return Decision.ARGMAX;
            }
        };
    }
}
