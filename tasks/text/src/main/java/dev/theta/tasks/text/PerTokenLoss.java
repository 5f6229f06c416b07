package dev.theta.tasks.text;

import dev.theta.api.spi.DataSpec;
import dev.theta.api.tensor.DType;

import java.util.Locale;

/**
 * A language model's mean cross-entropy per token in its three usual units: nats (the loss itself, natural log),
 * bits (nats / ln 2) and perplexity (e^nats, the number of equally likely tokens that would be as uncertain).
 */
public record PerTokenLoss(double nats) {
    private static final double LN2 = Math.log(2);

    /** True for next-token data: windows of int64 token ids whose classes are the vocabulary (dataset 'text'). */
    public static boolean appliesTo(DataSpec spec) {
        return spec.featureType() == DType.INT64 && spec.isClassification();
    }

    public double bits() {
        return nats / LN2;
    }

    public double perplexity() {
        return Math.exp(nats);
    }

    /** "1.8000 nats = 2.5969 bits per token, perplexity 6.05". */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.4f nats = %.4f bits per token, perplexity %.2f", nats, bits(), perplexity());
    }
}
