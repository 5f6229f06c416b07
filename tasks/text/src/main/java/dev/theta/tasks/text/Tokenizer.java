package dev.theta.tasks.text;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a text becomes tokens, and how sampled tokens become text again. Each token remembers the line it starts on,
 * so that a part of the text can be named by its lines.
 */
public enum Tokenizer {
    /** One token per Unicode code point, whitespace and newlines included; joining concatenates. */
    CHARS("chars") {
        @Override
        void split(String text, Tokens out) {
            int line = 1;
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                int end = i + Character.charCount(cp);
                out.add(text, i, end, line);
                line += cp == '\n' ? 1 : 0;
                i = end;
            }
        }

        @Override
        public String join(List<String> tokens) {
            return String.join("", tokens);
        }
    },
    /**
     * Words: maximal runs of letters, digits, marks and apostrophes ("don't", "o'er"); every other non-space
     * character (punctuation) is a token of its own; whitespace only separates and is dropped. Case is kept.
     * Joining puts one space between tokens.
     */
    WORDS("words") {
        @Override
        void split(String text, Tokens out) {
            int line = 1;
            int i = 0;
            while (i < text.length()) {
                int cp = text.codePointAt(i);
                if (Character.isWhitespace(cp)) {
                    line += cp == '\n' ? 1 : 0;
                    i += Character.charCount(cp);
                    continue;
                }
                int end = i + Character.charCount(cp);
                if (isWordPart(cp)) {
                    while (end < text.length() && isWordPart(text.codePointAt(end))) {
                        end += Character.charCount(text.codePointAt(end));
                    }
                }
                out.add(text, i, end, line);
                i = end;
            }
        }

        @Override
        public String join(List<String> tokens) {
            return String.join(" ", tokens);
        }

        private static boolean isWordPart(int cp) {
            return Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK
                    || cp == '\'' || cp == '\u2019';
        }
    };

    private final String label;

    Tokenizer(String label) {
        this.label = label;
    }

    /** The tokens of {@code text} with the 1-based line each starts on; equal tokens share one String. */
    public Tokens tokenize(String text) {
        Tokens out = new Tokens(text.length() / 4 + 16);
        split(text, out);
        return out.trim();
    }

    abstract void split(String text, Tokens out);

    /** The text of {@code tokens} as a reader would want it printed. */
    public abstract String join(List<String> tokens);

    /** A tokenised text: token {@code i} is {@code tokens[i]} and starts on line {@code lines[i]}. */
    public static final class Tokens {
        private final Map<String, String> canonical = new HashMap<>();
        private String[] tokens;
        private int[] lines;
        private int size;

        private Tokens(int capacity) {
            tokens = new String[capacity];
            lines = new int[capacity];
        }

        private void add(String text, int from, int to, int line) {
            if (size == tokens.length) {
                tokens = Arrays.copyOf(tokens, size * 2);
                lines = Arrays.copyOf(lines, size * 2);
            }
            tokens[size] = canonical.computeIfAbsent(text.substring(from, to), t -> t);
            lines[size++] = line;
        }

        private Tokens trim() {
            tokens = Arrays.copyOf(tokens, size);
            lines = Arrays.copyOf(lines, size);
            canonical.clear();
            return this;
        }

        public int size() {
            return size;
        }

        public String get(int i) {
            return tokens[i];
        }

        public int line(int i) {
            return lines[i];
        }

        public List<String> list() {
            return List.of(tokens);
        }
    }

    public String label() {
        return label;
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(Tokenizer::label).toList();
    }

    public static Tokenizer of(String label) {
        return Arrays.stream(values()).filter(t -> t.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown tokenizer '" + label + "'; known: "
                        + Arrays.stream(values()).map(Tokenizer::label).collect(Collectors.joining(", "))));
    }
}
