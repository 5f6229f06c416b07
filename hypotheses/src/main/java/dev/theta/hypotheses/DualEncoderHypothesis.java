package dev.theta.hypotheses;

import dev.theta.api.graph.Value;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionException;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.DualEncoder;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.Initializer;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CLIP's dual encoder in miniature. The image tower is an {@link Mlp} (a linear map with no hidden layers) from the
 * pixels to d numbers; the text tower averages the embeddings E [V, w] of a caption's non-padding tokens and projects
 * the mean to d numbers with P [w, d]. Both embeddings are L2-normalised, and the scores are
 * S_ij = min(exp(t), max-scale) · cos(Φ(I_i), Φ(T_j)) with a learnable t that starts at ln(1 / temperature).
 * Parameters: image_W1, image_b1, ... (the image MLP), text_E, text_P, then t.
 */
public final class DualEncoderHypothesis implements HypothesisProvider {
    /** Keeps the norm of an all-zero embedding finite; far below the square of any float32 embedding that matters. */
    private static final float NORM_FLOOR = 1e-12f;

    private static final OptionSchema OPTIONS = OptionSchema.of(
            Option.intList("image-hidden", List.of(256), Range.atLeast(1),
                    "hidden layer sizes of the image tower ([] for a linear image tower)"),
            Option.choice("activation", "relu", Activation.labels(), "the image tower's hidden nonlinearity"),
            Option.integer("embedding", 64, Range.atLeast(1), "size d of the joint image-text embedding"),
            Option.integer("word-embedding", 64, Range.atLeast(1), "size w of each token's embedding in the text tower"),
            Option.integer("image-size", 784, Range.atLeast(1),
                    "how many leading features are the image (784 for 28x28); the rest are token ids"),
            Option.integer("vocabulary-size", 256, Range.atLeast(2),
                    "rows of the token embedding table: at least the dataset's vocabulary size (image-text logs it)"),
            Option.number("temperature", 0.07, Range.POSITIVE, "initial temperature tau: t starts at ln(1/tau), as in CLIP"),
            Option.number("max-scale", 100.0, Range.POSITIVE, "the clamp on exp(t), CLIP's 100"),
            Option.number("embedding-std", 0.02, Range.POSITIVE, "token embeddings start as N(0, std^2)"));

    private final Mlp mlp = new Mlp();

    @Override
    public String name() {
        return "dual-encoder";
    }

    @Override
    public String description() {
        return "CLIP-style image and text towers; scores = scaled cosine similarities of every image-caption pair [N, N]";
    }

    @Override
    public OptionSchema options() {
        return OPTIONS;
    }

    @Override
    public Hypothesis create(Options options, DataSpec data, int scores) {
        if (scores != Shape.BATCH) {
            throw new OptionException(options.prefix(), "dual-encoder scores every image against every caption of the"
                    + " batch ([N, N]); it needs a contrastive loss such as 'clip', but the loss asks for " + scores
                    + " score(s) per example");
        }
        int imageSize = options.getInt("image-size");
        if (data.featureType() != DType.FLOAT32 || data.featureShape().rank() != 1
                || data.featureShape().dim(0) <= imageSize) {
            throw new OptionException(options.prefix() + ".image-size", options.getInt("image-size"),
                    "dual-encoder reads float32 features [image-size + tokens] (dataset 'image-text'); this data has "
                            + data.featureType() + " features of shape " + data.featureShape());
        }
        int dim = options.getInt("embedding");
        Hypothesis imageMlp = mlp.create(imageOptions(options),
                DataSpec.classification(Shape.of(imageSize), dim, List.of()), dim);
        return new Towers(imageMlp, imageSize, data.featureShape().dim(0) - imageSize,
                options.getInt("vocabulary-size"), options.getInt("word-embedding"), dim,
                (float) Math.log(1 / options.getDouble("temperature")), (float) options.getDouble("max-scale"),
                Initializer.normal(options.getDouble("embedding-std")));
    }

    /**
     * Refuses a loss that scores the batch against itself (such as 'clip', which asks for {@link Shape#BATCH} scores)
     * in a hypothesis that gives a fixed number of scores per example.
     */
    static void requireScoresPerExample(Options options, int scores) {
        if (scores == Shape.BATCH) {
            throw new OptionException(options.prefix(), "the loss compares every example of the batch with every other"
                    + " ([N, N] scores, e.g. loss 'clip'); use hypothesis 'dual-encoder'");
        }
    }

    /** The image MLP's options: this hypothesis's hidden sizes and activation. */
    private Options imageOptions(Options options) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("hidden", options.asMap().get("image-hidden"));
        raw.put("activation", options.asMap().get("activation"));
        return mlp.options().validate(raw, options.prefix(), List.of());
    }

    private record Towers(Hypothesis imageMlp, int imageSize, int maxTokens, int vocabularySize, int wordDim, int dim,
                          float initialT, float maxScale, Initializer embeddingInit) implements DualEncoder {
        @Override
        public Value scores(Parameters p, Value x) {
            Value images = imageEmbedding(p, x.slice(1, 0, imageSize));
            Value tokens = x.slice(1, imageSize, imageSize + maxTokens).cast(DType.INT64);
            Value texts = textEmbedding(p, tokens);
            Value t = p.create("t", Shape.SCALAR, 1, 1, (data, shape, fanIn, fanOut, random) -> data[0] = initialT);
            return images.matmul(texts.transpose(1, 0)).mul(t.exp().min(maxScale));
        }

        @Override
        public Value imageEmbedding(Parameters p, Value images) {
            return normalize(imageMlp.scores(prefixed(p, "image_"), images));
        }

        @Override
        public Value textEmbedding(Parameters p, Value tokens) {
            Value table = p.create("text_E", Shape.of(vocabularySize, wordDim), vocabularySize, wordDim, embeddingInit);
            Value mask = tokens.greater(0).cast(DType.FLOAT32);
            Value count = mask.sumKeep(1).max(1f);
            Value words = table.gather(tokens).mul(mask.reshape(Shape.of(Shape.BATCH, maxTokens, 1)));
            Value mean = words.sum(1).div(count);
            Value projection = p.create("text_P", Shape.of(wordDim, dim), wordDim, dim, Initializer.XAVIER_UNIFORM);
            return normalize(mean.matmul(projection));
        }

        private static Value normalize(Value v) {
            return v.div(v.mul(v).sumKeep(1).add(NORM_FLOOR).sqrt());
        }

        private static Parameters prefixed(Parameters p, String prefix) {
            return (name, shape, fanIn, fanOut, init) -> p.create(prefix + name, shape, fanIn, fanOut, init);
        }
    }
}
