package dev.theta.tasks.clip;

import dev.theta.api.spi.Backend;
import dev.theta.api.spi.DualEncoder;
import dev.theta.api.tensor.Tensor;
import dev.theta.tasks.clip.ImageTextCaptions;
import dev.theta.tasks.clip.ImageTextDataset;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Evaluates a dual encoder the way CLIP is evaluated. Zero-shot classification: each class's prompts (the held-out
 * templates filled with its synonyms) are embedded, averaged and normalised into one class embedding; an image is
 * given the class whose embedding has the largest cosine with its own. Retrieval: among the first pairs of the test
 * split, the rank of an image's own caption among all captions (image→text) and of a caption's own image among all
 * images (text→image); recall@k is the share ranked within the top k. A candidate counts as ranked above the true
 * one only when its similarity is larger by more than {@value #TIE}, so identical captions (same class, template and
 * synonym) do not push each other down: a matrix product may round a row differently by where it sits in the batch
 * (OpenBLAS's and ONNX Runtime's edge blocks), so identical captions can get embeddings that differ in the last bits.
 */
public final class ContrastiveEvaluation {
    /** How many test pairs retrieval ranks among: CLIP-style retrieval over one large test batch. */
    public static final int RETRIEVAL_PAIRS = 1000;
    private static final int BATCH = 500;
    /** Cosine similarities closer than this count as tied; float32 rounding differences are ~1e-7. */
    static final double TIE = 1e-5;

    private ContrastiveEvaluation() {
    }

    /**
     * The metrics of {@code model} with {@code parameters} (keyed by graph input name, as a training step holds them)
     * on {@code test}, computed on {@code backend}.
     */
    public static ContrastiveMetrics evaluate(Backend backend, DualEncoder model, Map<String, Tensor> parameters,
                                              ImageTextDataset test) {
        checkVocabulary(model, test.captions());
        try (Towers towers = new BackendTowers(backend, model, parameters, BATCH)) {
            return evaluate(towers, test, test.captions(), prompts());
        }
    }

    /** The metrics of any {@link Towers}, with {@code captions} encoding the class prompts {@code prompts}. */
    public static ContrastiveMetrics evaluate(Towers towers, ImageTextDataset test, ImageTextCaptions captions,
                                              List<List<String>> prompts) {
        long start = System.nanoTime();
        int n = test.size();
        int pixels = test.pixels();
        int width = test.spec().featureSize();
        int tokens = width - pixels;
        float[] features = test.features().floats();
        float[] images = new float[n * pixels];
        long[] ids = new long[n * tokens];
        for (int i = 0; i < n; i++) {
            System.arraycopy(features, i * width, images, i * pixels, pixels);
            for (int t = 0; t < tokens; t++) {
                ids[i * tokens + t] = (long) features[i * width + pixels + t];
            }
        }
        float[] imageEmbeddings = towers.images(images, n);
        float[] classEmbeddings = classEmbeddings(towers, captions, prompts);
        double accuracy = zeroShotAccuracy(imageEmbeddings, classEmbeddings, test.targets().longs(), n);

        int pairs = Math.min(RETRIEVAL_PAIRS, n);
        float[] captionEmbeddings = towers.texts(Arrays.copyOf(ids, pairs * tokens), pairs);
        int dim = imageEmbeddings.length / n;
        double[] similarity = similarities(imageEmbeddings, captionEmbeddings, pairs, dim);
        return new ContrastiveMetrics(accuracy, n,
                recall(similarity, pairs, 1, true), recall(similarity, pairs, 5, true),
                recall(similarity, pairs, 1, false), recall(similarity, pairs, 5, false),
                pairs, (System.nanoTime() - start) / 1e9);
    }

    /** Each class's prompts: the held-out templates filled with every synonym of the class. */
    public static List<List<String>> prompts() {
        return IntStream.range(0, ImageTextCaptions.CLASS_NAMES.size())
                .mapToObj(ImageTextCaptions::prompts).toList();
    }

    /** One unit embedding per class: the normalised mean of its prompts' embeddings, row-major [classes, d]. */
    static float[] classEmbeddings(Towers towers, ImageTextCaptions captions, List<List<String>> prompts) {
        int tokens = captions.maxTokens();
        float[] out = null;
        for (int c = 0; c < prompts.size(); c++) {
            List<String> list = prompts.get(c);
            long[] ids = new long[list.size() * tokens];
            for (int p = 0; p < list.size(); p++) {
                System.arraycopy(captions.encode(list.get(p)), 0, ids, p * tokens, tokens);
            }
            float[] e = towers.texts(ids, list.size());
            int dim = e.length / list.size();
            if (out == null) {
                out = new float[prompts.size() * dim];
            }
            double[] mean = new double[dim];
            for (int p = 0; p < list.size(); p++) {
                for (int j = 0; j < dim; j++) {
                    mean[j] += e[p * dim + j];
                }
            }
            double norm = 0;
            for (double v : mean) {
                norm += v * v;
            }
            norm = Math.sqrt(Math.max(norm, 1e-24));
            for (int j = 0; j < dim; j++) {
                out[c * dim + j] = (float) (mean[j] / norm);
            }
        }
        return out;
    }

    /** The share of images whose most similar class embedding (the first, on ties) is their label's. */
    static double zeroShotAccuracy(float[] images, float[] classes, long[] labels, int n) {
        int dim = images.length / n;
        int k = classes.length / dim;
        long correct = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < dim; j++) {
                    s += (double) images[i * dim + j] * classes[c * dim + j];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
        return (double) correct / n;
    }

    /** Cosines [pairs, pairs] of the first {@code pairs} image embeddings with the caption embeddings. */
    private static double[] similarities(float[] images, float[] captions, int pairs, int dim) {
        double[] s = new double[pairs * pairs];
        for (int i = 0; i < pairs; i++) {
            for (int j = 0; j < pairs; j++) {
                double dot = 0;
                for (int d = 0; d < dim; d++) {
                    dot += (double) images[i * dim + d] * captions[j * dim + d];
                }
                s[i * pairs + j] = dot;
            }
        }
        return s;
    }

    /**
     * Recall@k: the share of queries whose own match has fewer than k candidates more similar (by more than
     * {@link #TIE}). Queries are
     * images (rows of s) when {@code imageQueries}, else captions (columns).
     */
    static double recall(double[] s, int pairs, int k, boolean imageQueries) {
        int hits = 0;
        for (int q = 0; q < pairs; q++) {
            double own = s[q * pairs + q];
            int above = 0;
            for (int c = 0; c < pairs; c++) {
                double v = imageQueries ? s[q * pairs + c] : s[c * pairs + q];
                above += v > own + TIE ? 1 : 0;
            }
            hits += above < k ? 1 : 0;
        }
        return pairs == 0 ? Double.NaN : (double) hits / pairs;
    }

    private static void checkVocabulary(DualEncoder model, ImageTextCaptions captions) {
        if (captions.vocabulary().size() > model.vocabularySize()) {
            throw new IllegalArgumentException("the captions' vocabulary has " + captions.vocabulary().size()
                    + " tokens but the dual encoder embeds " + model.vocabularySize() + "; raise hypothesis.vocabulary-size");
        }
        if (captions.maxTokens() != model.maxTokens()) {
            throw new IllegalArgumentException("captions have " + captions.maxTokens() + " tokens but the dual encoder reads "
                    + model.maxTokens());
        }
    }
}
