package dev.theta.tasks.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Token ↔ id. Built from the tokens of the training text only: the distinct tokens seen at least {@code minCount}
 * times, sorted (String order), so the same text gives the same ids on every machine. With an unknown token, it is
 * {@value #UNKNOWN} at id 0 and every other token is shifted by one; unknown tokens then map to it.
 */
public final class Vocabulary {
    public static final String UNKNOWN = "<unk>";

    private final List<String> tokens;
    private final Map<String, Integer> ids = new HashMap<>();
    private final int unknownId;

    private Vocabulary(List<String> tokens, boolean withUnknown) {
        this.tokens = List.copyOf(tokens);
        for (int i = 0; i < tokens.size(); i++) {
            ids.putIfAbsent(tokens.get(i), i);
        }
        this.unknownId = withUnknown ? 0 : -1;
    }

    /** The vocabulary of tokens {@code [from, to)} of {@code text}, with {@value #UNKNOWN} first when asked. */
    public static Vocabulary build(Tokenizer.Tokens text, int from, int to, int minCount, boolean withUnknown) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = from; i < to; i++) {
            counts.merge(text.get(i), 1, Integer::sum);
        }
        List<String> list = new ArrayList<>();
        if (withUnknown) {
            list.add(UNKNOWN);
        }
        counts.forEach((token, count) -> {
            if (count >= minCount) {
                list.add(token);
            }
        });
        return new Vocabulary(list, withUnknown);
    }

    /** A vocabulary read back from its token list, e.g. an exported model's class names. */
    public static Vocabulary of(List<String> tokens) {
        return new Vocabulary(tokens, !tokens.isEmpty() && tokens.get(0).equals(UNKNOWN));
    }

    /** The id of {@code token}: its own, else the unknown token's, else -1. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id != null ? id : unknownId;
    }

    public String token(int id) {
        return tokens.get(id);
    }

    public List<String> tokens() {
        return tokens;
    }

    public int size() {
        return tokens.size();
    }

    public boolean hasUnknown() {
        return unknownId >= 0;
    }
}
