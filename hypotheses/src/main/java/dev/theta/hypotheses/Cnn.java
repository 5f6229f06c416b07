package dev.theta.hypotheses;

import dev.theta.api.graph.Value;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionException;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A convolutional network on (C, H, W) images: the {@code layers} in order, then a linear layer to k scores (or one
 * score), flattening first where the layers end on images. Parameters are named W1, b1, ... in layer order, the
 * output layer last; a batchnorm layer i has bn<i>.weight, bn<i>.bias and the running statistics bn<i>.running_mean
 * and bn<i>.running_var.
 */
public final class Cnn implements HypothesisProvider {
    private static final List<Object> DEFAULT_LAYERS = List.of(layer("conv", 16, "kernel", 3, "pad", 1), "relu",
            layer("maxpool", 2), layer("conv", 32, "kernel", 3, "pad", 1), "relu", layer("maxpool", 2), "flatten",
            layer("dense", 128), "relu");

    private static final OptionSchema OPTIONS = OptionSchema.of(
            Option.list("layers", DEFAULT_LAYERS, "in order: {conv: O, kernel: 3, stride: 1, pad: 0, dilation: 1, "
                    + "group: 1, bias: true}, {maxpool: k, stride: k, pad: 0}, {avgpool: k, stride: k, pad: 0} "
                    + "(pads not counted), {dense: n, bias: true}, {dropout: p} (training only), batchnorm or"
                    + " {batchnorm: {momentum: 0.1, eps: 1e-5}} (batch statistics in training, running ones otherwise),"
                    + " relu, tanh, sigmoid, gelu, flatten, globalavgpool"),
            Option.intList("image", null, Range.atLeast(1),
                    "[C, H, W] of one example where the dataset's features are flat (csv, idx), e.g. [1, 28, 28]")
                    .asOptional(),
            Option.choice("init", "he", List.of("he", "xavier", "pytorch"),
                    "weight initialiser: he (Kaiming normal, for relu), xavier, pytorch; biases start at 0 except with"
                            + " pytorch"));

    private static Map<String, Object> layer(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public String name() {
        return "cnn";
    }

    @Override
    public String description() {
        return "convolutional network on (C, H, W) images: conv, pooling, dense and activation layers, then k scores";
    }

    @Override
    public OptionSchema options() {
        return OPTIONS;
    }

    @Override
    public Hypothesis create(Options options, DataSpec data, int scores) {
        DualEncoderHypothesis.requireScoresPerExample(options, scores);
        Shape image = image(options, data);
        String path = options.prefix().isEmpty() ? "layers" : options.prefix() + ".layers";
        List<?> items = options.getItems("layers");
        List<CnnLayer> layers = new ArrayList<>();
        Shape shape = image;
        for (int i = 0; i < items.size(); i++) {
            String where = path + "[" + i + "]";
            CnnLayer layer = CnnLayer.parse(items.get(i), where);
            try {
                shape = layer.out(shape);
            } catch (IllegalArgumentException e) {
                throw new OptionException(where, "does not fit its input " + shape + ": " + e.getMessage());
            }
            layers.add(layer);
        }
        int features = shape.size();
        String init = options.getString("init");
        return (Parameters p, Value x) -> {
            Value h = x.reshape(Shape.BATCH, image.dim(0), image.dim(1), image.dim(2));
            int named = 1;
            for (CnnLayer layer : layers) {
                h = layer.apply(h, p, layer.hasParameters() ? Integer.toString(named++) : "", init);
            }
            if (h.shape().rank() > 2) {
                h = h.flatten();
            }
            return Dense.scores(Dense.layer(p, h, Integer.toString(named), features, scores, init, true), scores);
        };
    }

    /** One example's [C, H, W]: the data's own, [1, H, W] for [H, W], or the {@code image} option for flat features. */
    private static Shape image(Options options, DataSpec data) {
        String prefix = options.prefix().isEmpty() ? "" : options.prefix() + ".";
        if (data.featureType() != DType.FLOAT32) {
            throw new OptionException(options.prefix(), "cnn needs float32 image features, the data has "
                    + data.featureType() + " features " + data.featureShape());
        }
        Shape features = data.featureShape();
        if (options.has("image")) {
            List<Number> dims = options.getList("image");
            if (dims.size() != 3 || dims.get(0).intValue() * dims.get(1).intValue() * dims.get(2).intValue()
                    != data.featureSize()) {
                throw new OptionException(prefix + "image", dims, "must be [C, H, W] with C·H·W = "
                        + data.featureSize() + ", the size of the data's features " + features);
            }
            return Shape.of(dims.get(0).intValue(), dims.get(1).intValue(), dims.get(2).intValue());
        }
        return switch (features.rank()) {
            case 3 -> features;
            case 2 -> Shape.of(1, features.dim(0), features.dim(1));
            default -> throw new OptionException(prefix + "image", "the data's features are " + features
                    + ", not images; give one example's [C, H, W], e.g. [1, 28, 28] for 784 pixels");
        };
    }
}
