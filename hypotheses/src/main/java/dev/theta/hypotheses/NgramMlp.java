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
import dev.theta.api.spi.Initializer;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The neural n-gram language model of Bengio et al. (2003): each of the n context token ids picks a row of an
 * embedding table E [V, D] (Gather), the n rows are concatenated into one vector of n·D numbers, and an
 * {@link Mlp} maps it to V vocabulary scores. Token ids index the classes, so V is the data's number of classes.
 * Parameters: E, then the MLP's W1, b1, ...
 */
public final class NgramMlp implements HypothesisProvider {
    private static final OptionSchema OPTIONS = OptionSchema.of(
            Option.integer("embedding", 24, Range.atLeast(1), "size D of each token's embedding vector"),
            Option.intList("hidden", List.of(512), Range.atLeast(1), "sizes of the MLP's hidden layers over the n·D concatenated embeddings"),
            Option.choice("activation", "tanh", Activation.labels(), "hidden nonlinearity (Bengio et al. use tanh)"),
            Option.choice("init", "auto", List.of("auto", "pytorch", "xavier", "he", "zeros"),
                    "MLP weight initialiser; auto = he for relu/gelu, xavier for tanh/sigmoid"),
            Option.number("embedding-std", 1.0, Range.POSITIVE, "embeddings start as N(0, std²) (PyTorch's nn.Embedding: 1)"),
            Option.bool("bias", true, "learned biases in every MLP layer"));

    private final Mlp mlp = new Mlp();

    @Override
    public String name() {
        return "ngram-mlp";
    }

    @Override
    public String description() {
        return "neural n-gram language model (Bengio 2003): embeddings of the n context tokens, concatenated, an MLP, vocabulary scores";
    }

    @Override
    public OptionSchema options() {
        return OPTIONS;
    }

    @Override
    public Hypothesis create(Options options, DataSpec data, int scores) {
        if (data.featureType() != DType.INT64 || data.featureShape().rank() != 1 || !data.isClassification()) {
            throw new OptionException(options.prefix(), "ngram-mlp reads windows of token ids (int64 features [n] with"
                    + " the vocabulary as classes, e.g. dataset 'text'); this data has " + data.featureType()
                    + " features of shape " + data.featureShape() + (data.isClassification() ? "" : " and no classes"));
        }
        int vocabulary = data.classes();
        int dim = options.getInt("embedding");
        int concatenated = Math.multiplyExact(data.featureShape().dim(0), dim);
        Initializer embeddingInit = Initializer.normal(options.getDouble("embedding-std"));
        Hypothesis head = mlp.create(mlpOptions(options),
                DataSpec.classification(Shape.of(concatenated), data.classes(), data.classNames()), scores);
        return (Parameters p, Value x) -> {
            Value table = p.create("E", Shape.of(vocabulary, dim), vocabulary, dim, embeddingInit);
            Value context = table.gather(x).reshape(Shape.of(Shape.BATCH, concatenated));
            return head.scores(p, context);
        };
    }

    /** The options of the MLP over the concatenated embeddings: this hypothesis's, less the embedding's own. */
    private Options mlpOptions(Options options) {
        Map<String, Object> raw = new LinkedHashMap<>();
        for (String name : List.of("hidden", "activation", "init", "bias")) {
            raw.put(name, options.asMap().get(name));
        }
        return mlp.options().validate(raw, options.prefix(), List.of());
    }
}
