package dev.theta.tasks.text;

import dev.theta.api.data.InMemoryDataset;
import dev.theta.api.data.DataFiles;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionException;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.DataException;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Next-token prediction on a plain UTF-8 text file (raw or gzip). The text is tokenised (characters or words, see
 * {@link Tokenizer}) and cut by position into up to three parts, in this order: train, validation (the
 * {@code validation-fraction} of the tokens before the test part) and test (the last {@code test-fraction}; none
 * by default). An example is the {@code context} token ids before a position (int64 features [context]) and the
 * token at that position (the class). The train part predicts its tokens from position {@code context} on; the
 * validation and test parts predict every one of their tokens, their first contexts reaching back into the part
 * before (text already seen, not a target). All parts share one {@link Vocabulary}, built from the train part,
 * whose tokens are the class names, so an exported model carries it.
 */
public final class TextDatasetProvider implements DatasetProvider {
    public static final String NAME = "text";
    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";
    public static final String TEST = "test";
    public static final String NEXT = "next";
    public static final String SEQUENCE = "sequence";

    private static final OptionSchema OPTIONS = OptionSchema.of(
            Option.string("path", null, "UTF-8 text file (raw or gzip), relative to the config's directory"),
            Option.choice("tokens", Tokenizer.CHARS.label(), Tokenizer.labels(),
                    "chars = one token per character; words = runs of letters/digits/apostrophes, each other non-space character a token"),
            Option.integer("context", 8, Range.closed(1, 4096), "how many previous tokens an example sees (n of the n-gram model)"),
            Option.choice("split", TRAIN, List.of(TRAIN, VALIDATION, TEST), "which part of the text: train (the first"
                    + " part), validation (the part after it) or test (the last part, when test-fraction is set)"),
            Option.number("validation-fraction", 0.1, Range.UNIT_HALF_OPEN, "share of the tokens, before the test part,"
                    + " that form the validation part"),
            Option.number("test-fraction", 0.0, Range.UNIT_HALF_OPEN, "share of the tokens, at the end of the text, that"
                    + " form the test part (0: no test part, validation ends the text)"),
            Option.integer("min-count", 1, Range.atLeast(1), "tokens seen fewer times in the train part map to " + Vocabulary.UNKNOWN),
            Option.choice("targets", NEXT, List.of(NEXT, SEQUENCE), "next = the one token after the context (n-gram"
                    + " models); sequence = the context shifted by one, a next token for every position (transformers)"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "next-token prediction on a plain text file: windows of the previous n tokens (chars or words) and the next token";
    }

    @Override
    public OptionSchema options() {
        return OPTIONS;
    }

    @Override
    public Dataset load(Options options, Path baseDir) throws DataException {
        Path file = DataFiles.existingFile(baseDir, options.getString("path"));
        Tokenizer tokenizer = Tokenizer.of(options.getString("tokens"));
        int context = options.getInt("context");
        String part = options.getString("split");
        double validFraction = options.getDouble("validation-fraction");
        double testFraction = options.getDouble("test-fraction");
        for (String[] p : new String[][] {{VALIDATION, "validation-fraction"}, {TEST, "test-fraction"}}) {
            if (part.equals(p[0]) && options.getDouble(p[1]) == 0) {
                throw new OptionException(options.prefix() + "." + p[1], "is 0, so the " + p[0] + " part is empty;"
                        + " split: " + p[0] + " needs a fraction in (0, 1), e.g. 0.1");
            }
        }
        if (validFraction + testFraction >= 1) {
            throw new OptionException(options.prefix() + ".test-fraction", String.format(Locale.ROOT, "with"
                    + " validation-fraction %s leaves no train part (the two add up to %s); make them add up to less than 1",
                    validFraction, validFraction + testFraction));
        }
        Tokenizer.Tokens text = tokenizer.tokenize(read(file));
        int total = text.size();
        int testStart = total - (int) Math.round(testFraction * total);
        int validStart = testStart - (int) Math.round(validFraction * total);
        if (validStart <= context) {
            throw new DataException(file, 0, String.format(Locale.ROOT, "the train part holds %d %s tokens, too few for"
                    + " even one example with context %d; use a longer text, a smaller context or smaller fractions"
                    + " (now validation-fraction %s, test-fraction %s)", validStart, tokenizer.label(), context,
                    validFraction, testFraction));
        }
        Vocabulary vocabulary = vocabulary(text, validStart, tokenizer, options.getInt("min-count"));
        int start = switch (part) {
            case VALIDATION -> validStart;
            case TEST -> testStart;
            default -> 0;
        };
        int end = switch (part) {
            case VALIDATION -> testStart;
            case TEST -> total;
            default -> validStart;
        };
        if (end == start) {
            String fraction = part.equals(TEST) ? "test-fraction " + testFraction : "validation-fraction " + validFraction;
            throw new DataException(file, 0, "the " + part + " part holds no tokens (" + total + " tokens, " + fraction
                    + "); use a longer text or a larger fraction");
        }
        int[] ids = new int[total];
        for (int i = 0; i < total; i++) {
            ids[i] = vocabulary.id(text.get(i));
        }
        if (options.getString("targets").equals(SEQUENCE)) {
            return sequences(file, text, ids, vocabulary, tokenizer, context, start, end, part);
        }
        // The train part's first targets need a whole context before them; the later parts' contexts reach back.
        int from = part.equals(TRAIN) ? context : start;
        int to = end;
        int n = to - from;
        long[] features = new long[Math.multiplyExact(n, context)];
        long[] targets = new long[n];
        for (int e = 0; e < n; e++) {
            int p = from + e;
            for (int j = 0; j < context; j++) {
                features[e * context + j] = ids[p - context + j];
            }
            targets[e] = ids[p];
        }
        DataSpec spec = new DataSpec(Shape.of(context), DType.INT64, vocabulary.size(), vocabulary.tokens(), Shape.SCALAR);
        String source = String.format(Locale.ROOT, "%s (%s part: tokens %d..%d of %d %s, lines %d..%d)", file,
                part, from, to - 1, total, tokenizer.label(), text.line(from), text.line(to - 1));
        return new InMemoryDataset(spec, Tensor.of(Shape.of(n, context), features), Tensor.of(Shape.of(n), targets), source);
    }

    /**
     * Windows of {@code context} tokens starting at every position of [from, to − context) with the same window
     * shifted by one as targets, so that position i predicts token i + 1. Unlike the single-target examples, a
     * window never crosses from one part into the next: each is text of its own, as nanoGPT cuts them.
     */
    private static Dataset sequences(Path file, Tokenizer.Tokens text, int[] ids, Vocabulary vocabulary,
                                     Tokenizer tokenizer, int context, int from, int to, String part) throws DataException {
        int n = to - from - context;
        if (n < 1) {
            throw new DataException(file, 0, String.format(Locale.ROOT, "the %s part holds %d %s tokens, too few for one"
                    + " window of %d tokens and its next token; use a longer text or a smaller context", part, to - from,
                    tokenizer.label(), context));
        }
        long[] features = new long[Math.multiplyExact(n, context)];
        long[] targets = new long[features.length];
        for (int e = 0; e < n; e++) {
            for (int j = 0; j < context; j++) {
                features[e * context + j] = ids[from + e + j];
                targets[e * context + j] = ids[from + e + j + 1];
            }
        }
        DataSpec spec = new DataSpec(Shape.of(context), DType.INT64, vocabulary.size(), vocabulary.tokens(), Shape.of(context));
        String source = String.format(Locale.ROOT, "%s (%s part: %d windows of %d tokens over tokens %d..%d of %d %s, lines %d..%d)",
                file, part, n, context, from, to - 1, text.size(), tokenizer.label(), text.line(from), text.line(to - 1));
        return new InMemoryDataset(spec, Tensor.of(Shape.of(n, context), features), Tensor.of(Shape.of(n, context), targets), source);
    }

    /**
     * The train part's vocabulary. Word vocabularies always hold {@value Vocabulary#UNKNOWN} (prompts and new text
     * bring new words); character vocabularies only when a token of the text falls outside the kept tokens.
     */
    static Vocabulary vocabulary(Tokenizer.Tokens text, int trainEnd, Tokenizer tokenizer, int minCount) {
        Vocabulary kept = Vocabulary.build(text, 0, trainEnd, minCount, tokenizer == Tokenizer.WORDS);
        if (kept.hasUnknown()) {
            return kept;
        }
        for (int i = 0; i < text.size(); i++) {
            if (kept.id(text.get(i)) < 0) {
                return Vocabulary.build(text, 0, trainEnd, minCount, true);
            }
        }
        return kept;
    }

    /** The file as strict UTF-8 (a leading byte-order mark dropped); a bad byte sequence is reported with its line. */
    static String read(Path file) throws DataException {
        byte[] bytes;
        try (InputStream in = DataFiles.open(file)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw DataFiles.readError(file, e);
        }
        if (bytes.length == 0) {
            throw new DataException(file, 0, "file is empty; expected plain text");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(buffer).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            int at = buffer.position();
            long line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new DataException(file, line, String.format(Locale.ROOT, "not UTF-8 text: invalid byte 0x%02x at byte"
                    + " offset %d; save the file as UTF-8", bytes[at] & 0xff, at));
        }
    }
}
