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
import dev.theta.api.spi.SequenceHypothesis;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.List;

/**
 * A decoder-only transformer (GPT-2's layout, as in nanoGPT): token and learned position embeddings, {@code layers}
 * pre-LayerNorm blocks of causal multi-head self-attention and a GELU MLP with residual connections, a final
 * LayerNorm and a linear head to the vocabulary, by default the token embedding transposed (tied weights). It reads
 * windows of T token ids (int64 [N, T]) and gives scores for the next token at every position, [N, T, V].
 * Parameters are named as nanoGPT names them ({@code wte}, {@code wpe}, {@code h0.attn.c_attn.weight}, ...), with
 * weights stored [in, out] (PyTorch's nn.Linear stores [out, in]). With {@code dropout} p > 0 the training step
 * drops where nanoGPT does (see {@link TransformerBlock}); evaluation and prediction never drop. It is a
 * {@link SequenceHypothesis}: the same parameters read any window of 1 to {@code block-size} tokens, so the exported
 * model takes [N, T] for any such T.
 */
public final class Transformer implements HypothesisProvider {
    private static final OptionSchema OPTIONS = OptionSchema.of(
            Option.integer("layers", 4, Range.atLeast(1), "number of transformer blocks"),
            Option.integer("heads", 4, Range.atLeast(1), "attention heads per block; must divide embedding"),
            Option.integer("embedding", 128, Range.atLeast(1), "width C of the residual stream"),
            Option.integer("block-size", 0, Range.NON_NEGATIVE,
                    "longest context the position table covers; 0 = the data's window length T"),
            Option.number("dropout", 0.0, Range.UNIT_HALF_OPEN,
                    "dropout probability while training, where nanoGPT drops: the embeddings' sum, the attention"
                            + " probabilities, the outputs of attention's and the MLP's c_proj (nanoGPT's CPU recipe"
                            + " uses 0)"),
            Option.bool("bias", true, "biases in the linear layers and LayerNorms (nanoGPT's train.py sets false)"),
            Option.bool("tie-weights", true, "the head's weights are the token embedding's transpose, as in GPT-2"),
            Option.choice("activation", "gelu", List.of("gelu", "gelu-tanh"),
                    "MLP nonlinearity: gelu = x·Φ(x) with erf (torch.nn.GELU()), gelu-tanh = its tanh approximation"),
            Option.number("init-std", 0.02, Range.POSITIVE,
                    "weights and embeddings start as N(0, std²); residual projections as N(0, (std/√(2·layers))²)"));

    @Override
    public String name() {
        return "transformer";
    }

    @Override
    public String description() {
        return "decoder-only transformer (GPT): causal self-attention blocks over token windows, next-token scores at every position";
    }

    @Override
    public OptionSchema options() {
        return OPTIONS;
    }

    @Override
    public Hypothesis create(Options options, DataSpec data, int scores) {
        String prefix = options.prefix();
        if (data.featureType() != DType.INT64 || data.featureShape().rank() != 1 || !data.isClassification()
                || !data.targetShape().equals(data.featureShape())) {
            throw new OptionException(prefix, "transformer reads windows of T token ids and predicts the next token at"
                    + " every position (int64 features [T], targets [T], the vocabulary as classes: dataset 'text' with"
                    + " targets: sequence); this data has " + data.featureType() + " features of shape "
                    + data.featureShape() + (data.isClassification() ? " and targets of shape " + data.targetShape() : " and no classes"));
        }
        int window = data.featureShape().dim(0);
        int blockSize = options.getInt("block-size") == 0 ? window : options.getInt("block-size");
        if (blockSize < window) {
            throw new OptionException(prefix + ".block-size", blockSize, "is shorter than the data's windows of " + window
                    + " tokens; raise it or shorten the dataset's context");
        }
        int embedding = options.getInt("embedding");
        int heads = options.getInt("heads");
        if (embedding % heads != 0) {
            throw new OptionException(prefix + ".heads", heads, "does not divide embedding " + embedding
                    + "; each head gets embedding / heads channels");
        }
        TransformerBlock.Settings settings = new TransformerBlock.Settings(window, embedding, heads,
                options.getBool("bias"), options.getString("activation").equals("gelu-tanh"),
                options.getDouble("init-std"), options.getInt("layers"), options.getDouble("dropout"));
        Hypothesis training = forWindow(settings, blockSize, data.classes(), options.getBool("tie-weights"), false);
        return new SequenceHypothesis() {
            @Override
            public Value scores(Parameters p, Value x) {
                return training.scores(p, x);
            }

            @Override
            public int maxLength() {
                return blockSize;
            }

            @Override
            public Hypothesis atLength(int length) {
                if (length < 1 || length > blockSize) {
                    throw new IllegalArgumentException("a window of " + length + " tokens: the transformer reads 1 to "
                            + blockSize + " (its block-size)");
                }
                return forWindow(settings.withWindow(length), blockSize, data.classes(), options.getBool("tie-weights"), true);
            }
        };
    }

    /**
     * The scores over windows of {@code settings.window()} tokens. The position table is sliced to the window unless they
     * are equal; {@code alwaysSlice} slices it anyway, so that graphs for every length have the same nodes.
     */
    private static Hypothesis forWindow(TransformerBlock.Settings settings, int blockSize, int vocabulary, boolean tied,
                                     boolean alwaysSlice) {
        int window = settings.window();
        int embedding = settings.embedding();
        return (p, x) -> {
            Value wte = p.create("wte", Shape.of(vocabulary, embedding), vocabulary, embedding, settings.weightInit());
            Value wpe = p.create("wpe", Shape.of(blockSize, embedding), blockSize, embedding, settings.weightInit());
            Value positions = blockSize == window && !alwaysSlice ? wpe : wpe.slice(0, 0, window);
            // The residual stream as [TN, C]: every linear layer is then one matrix product over all tokens.
            Value h = p.dropout(wte.gather(x).add(positions).reshape(Shape.of(-window, embedding)), settings.dropout());
            for (int layer = 0; layer < settings.layers(); layer++) {
                h = TransformerBlock.apply(p, "h" + layer + ".", h, settings);
            }
            h = TransformerBlock.layerNorm(p, "ln_f.", h, settings);
            Value head = tied ? wte.transpose(1, 0)
                    : p.create("lm_head.weight", Shape.of(embedding, vocabulary), embedding, vocabulary, settings.weightInit());
            return h.matmul(head).reshape(Shape.of(Shape.BATCH, window, vocabulary));
        };
    }
}
