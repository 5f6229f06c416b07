package dev.theta.tasks.text;

import dev.theta.core.model.OnnxModel;
import dev.theta.api.tensor.DType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.tasks.text.TextDatasetProvider;
import dev.theta.tasks.text.Tokenizer;
import dev.theta.tasks.text.Vocabulary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Samples text from a next-token model: the vocabulary comes from the model's {@code theta.classes} metadata, the
 * tokenizer from its {@code theta.config} (the text dataset's {@code tokens}), the context size n from its input
 * shape [N, n] (for an input [N, T] of symbolic length, its maximum T, metadata {@code theta.max-length}). Each new token is drawn from softmax(scores / temperature) of the last n tokens (only the top-k
 * scores when k > 0) with one {@link Random} seeded once, so a seed gives the same text every time;
 * {@value Vocabulary#UNKNOWN} is never drawn. Two kinds of model are read: n-gram models give one row of scores for
 * the token after the window; sequence models (a transformer's [N, n, V]) give a row per position, and the window
 * holds the last n tokens left-aligned, so the row of the last real token is read and the padding after it is never
 * seen (attention is causal); a model of symbolic length reads the last (up to) n tokens themselves, unpadded. The model runs behind {@link Scorer}: an exported model in ONNX Runtime, or the
 * trained graph on a theta backend, which must give the same text.
 */
public final class TextGenerator {
    /** Left padding for prompts shorter than the context, in order of preference: a new paragraph, a space, a full stop. */
    private static final List<String> PADDING = List.of("\n", " ", ".");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The model's scores for one window of token ids [n]: V numbers, or n · V for a sequence model. */
    @FunctionalInterface
    public interface Scorer {
        float[] scores(long[] window);
    }

    private final Scorer model;
    private final Vocabulary vocabulary;
    private final Tokenizer tokenizer;
    private final int context;
    private final boolean unpadded;

    /** A generator whose model reads windows of exactly {@code context} tokens. */
    public TextGenerator(Scorer model, Vocabulary vocabulary, Tokenizer tokenizer, int context) {
        this(model, vocabulary, tokenizer, context, false);
    }

    /**
     * With {@code unpadded}, a sequence model reads the actual context, 1 to {@code context} tokens (a model exported
     * with a symbolic length); otherwise windows of exactly {@code context} tokens.
     */
    public TextGenerator(Scorer model, Vocabulary vocabulary, Tokenizer tokenizer, int context, boolean unpadded) {
        this.model = model;
        this.vocabulary = vocabulary;
        this.tokenizer = tokenizer;
        this.context = context;
        this.unpadded = unpadded;
    }

    /** A generator for {@code model}; fails with a data error when it is not a next-token model. */
    public static TextGenerator of(OnnxModel model, String modelName) {
        int[] shape = model.exampleShape();
        if (model.inputType() != DType.INT64 || shape.length != 1) {
            throw new UserError(ExitCode.DATA, modelName + ": not a next-token model: its input is " + model.inputType()
                    + " " + Arrays.toString(shape) + ", expected int64 token ids [n] (train it on dataset 'text')");
        }
        var metadata = model.metadata();
        String classes = metadata.get("theta.classes");
        if (classes == null) {
            throw new UserError(ExitCode.DATA, modelName + ": the model carries no vocabulary (metadata theta.classes);"
                    + " export it again with this theta");
        }
        try {
            List<String> tokens = JSON.readValue(classes, new TypeReference<>() { });
            boolean unpadded = shape[0] < 0;
            int n = unpadded ? model.maxLength() : shape[0];
            Scorer onnx = window -> model.predict(window, 1, new int[] {window.length}).scores();
            return new TextGenerator(onnx, Vocabulary.of(tokens), tokenizer(metadata.get("theta.config"), tokens), n, unpadded);
        } catch (JsonProcessingException e) {
            throw new UserError(ExitCode.DATA, modelName + ": unreadable metadata theta.classes: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The training data's tokenizer as the config names it; without one (a config from elsewhere), characters when
     * every class name is one character.
     */
    static Tokenizer tokenizer(String config, List<String> tokens) {
        try {
            JsonNode train = config == null ? null : JSON.readTree(config).path("data").path("train");
            if (train != null && TextDatasetProvider.NAME.equals(train.path("name").asText())) {
                return Tokenizer.of(train.path("tokens").asText(Tokenizer.CHARS.label()));
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // Fall back on the vocabulary's look below.
        }
        boolean chars = tokens.stream().allMatch(t -> t.codePointCount(0, t.length()) == 1);
        return chars ? Tokenizer.CHARS : Tokenizer.WORDS;
    }

    public int context() {
        return context;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** {@link #generate(String, int, double, int, long)} from all the scores (no top-k). */
    public String generate(String prompt, int count, double temperature, long seed) {
        return generate(prompt, count, temperature, 0, seed);
    }

    /**
     * The prompt followed by {@code count} sampled tokens. Temperature 0 takes the most likely token each time;
     * {@code topK} > 0 draws among the k highest scores only (ties with the k-th included, as nanoGPT's sampler).
     * Every prompt token must be in the vocabulary (words may map to {@value Vocabulary#UNKNOWN}). A prompt shorter
     * than an n-gram model's context is left-padded with a newline (else a space, else a full stop, else token 0);
     * a sequence model starts from that padding token alone when the prompt is empty.
     */
    public String generate(String prompt, int count, double temperature, int topK, long seed) {
        if (count < 0 || !(temperature >= 0) || Double.isInfinite(temperature) || topK < 0) {
            throw new IllegalArgumentException("count " + count + ", temperature " + temperature + " and top-k " + topK
                    + " must be >= 0");
        }
        List<String> promptTokens = tokenizer.tokenize(prompt).list();
        List<Long> ids = new ArrayList<>();
        for (String token : promptTokens) {
            ids.add((long) idOf(token, prompt));
        }
        Random random = new Random(seed);
        List<String> sampled = new ArrayList<>(count);
        Boolean sequence = null;
        for (int t = 0; t < count; t++) {
            if (sequence == null) {
                sequence = isSequenceModel();
                if (sequence && ids.isEmpty()) {
                    ids.add(padding());
                }
            }
            float[] scores = sequence ? lastPosition(ids) : model.scores(leftPadded(ids));
            int next = sample(scores, temperature, topK, random);
            sampled.add(vocabulary.token(next));
            ids.add((long) next);
        }
        String continuation = tokenizer.join(sampled);
        boolean separate = tokenizer == Tokenizer.WORDS && !prompt.isEmpty() && !continuation.isEmpty();
        return prompt + (separate ? " " : "") + continuation;
    }

    /** A model with a row of scores per position gives n · V numbers for a window (the two agree when n = 1). */
    private boolean isSequenceModel() {
        long[] probe = new long[context];
        Arrays.fill(probe, padding());
        int width = model.scores(probe).length;
        if (width != vocabulary.size() && width != context * vocabulary.size()) {
            throw new UserError(ExitCode.DATA, "the model gives " + width + " scores for a window of " + context
                    + " tokens; a next-token model over " + vocabulary.size() + " tokens gives " + vocabulary.size()
                    + " (or " + context * vocabulary.size() + ", one row per position)");
        }
        return width != vocabulary.size();
    }

    /** The last n tokens, padded on the left. */
    private long[] leftPadded(List<Long> ids) {
        return window(ids, true);
    }

    /** A sequence model's scores at the last of (up to) n tokens, placed from the window's start or alone. */
    private float[] lastPosition(List<Long> ids) {
        int last = Math.min(ids.size(), context) - 1;
        float[] all = model.scores(unpadded ? lastTokens(ids) : window(ids, false));
        int v = vocabulary.size();
        return Arrays.copyOfRange(all, last * v, (last + 1) * v);
    }

    /** The last (up to) n tokens. */
    private long[] lastTokens(List<Long> ids) {
        return ids.subList(Math.max(0, ids.size() - context), ids.size()).stream().mapToLong(Long::longValue).toArray();
    }

    /** The last (up to) n tokens in a window of n, at its end or its start, the rest padding. */
    private long[] window(List<Long> ids, boolean atEnd) {
        long[] window = new long[context];
        Arrays.fill(window, padding());
        int from = Math.max(0, ids.size() - context);
        int offset = atEnd ? context - (ids.size() - from) : 0;
        for (int i = from; i < ids.size(); i++) {
            window[offset + i - from] = ids.get(i);
        }
        return window;
    }

    private int idOf(String token, String prompt) {
        int id = vocabulary.id(token);
        if (id < 0) {
            String what = tokenizer == Tokenizer.CHARS ? String.format("character '%s' (U+%04X)", printable(token),
                    token.codePointAt(0)) : "token '" + token + "'";
            throw new UserError(ExitCode.DATA, "the prompt's " + what + " at position " + (prompt.indexOf(token) + 1)
                    + " is not in the model's vocabulary of " + vocabulary.size() + " " + tokenizer.label()
                    + "; use only these: " + describeVocabulary());
        }
        return id;
    }

    private long padding() {
        for (String p : PADDING) {
            int id = vocabulary.id(p);
            if (id >= 0 && !(vocabulary.hasUnknown() && id == 0)) {
                return id;
            }
        }
        return 0;
    }

    /**
     * Draws from softmax(scores / temperature) over the top-k scores (all when k is 0), never the unknown token;
     * temperature 0 takes the argmax.
     */
    int sample(float[] scores, double temperature, int topK, Random random) {
        int first = vocabulary.hasUnknown() && scores.length > 1 ? 1 : 0;
        int best = first;
        for (int i = first; i < scores.length; i++) {
            best = scores[i] > scores[best] ? i : best;
        }
        if (temperature == 0) {
            return best;
        }
        float floor = Float.NEGATIVE_INFINITY;
        if (topK > 0 && topK < scores.length - first) {
            float[] sorted = Arrays.copyOfRange(scores, first, scores.length);
            Arrays.sort(sorted);
            floor = sorted[sorted.length - topK];
        }
        double[] weights = new double[scores.length];
        double total = 0;
        for (int i = first; i < scores.length; i++) {
            weights[i] = scores[i] < floor ? 0 : Math.exp((scores[i] - scores[best]) / temperature);
            total += weights[i];
        }
        double u = random.nextDouble() * total;
        for (int i = first; i < scores.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return best;
    }

    private String describeVocabulary() {
        StringBuilder s = new StringBuilder();
        for (String t : vocabulary.tokens()) {
            if (s.length() > 200) {
                return s.append(" ...").toString();
            }
            s.append(s.isEmpty() ? "" : " ").append(printable(t));
        }
        return s.toString();
    }

    private static String printable(String token) {
        return switch (token) {
            case "\n" -> "\\n";
            case " " -> "' '";
            case "\t" -> "\\t";
            default -> token;
        };
    }
}
