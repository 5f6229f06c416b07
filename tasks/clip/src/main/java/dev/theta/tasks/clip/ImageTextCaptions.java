package dev.theta.tasks.clip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * The captions of the image-text dataset: Fashion-MNIST's ten classes, each with synonyms, slotted into templates
 * ("a photo of a {}"). The training templates make the training captions and the vocabulary; the held-out templates
 * make the test captions and the zero-shot prompts, so evaluation sees phrasings (and some words) training never saw.
 * Words are lowercase runs of letters, digits, hyphens and apostrophes; token 0 is {@value #PAD} (padding to the
 * fixed caption length), token 1 is {@value #UNKNOWN} (every word outside the vocabulary), then the vocabulary's
 * words in String order. docs/clip.md lists the templates and synonyms.
 */
public final class ImageTextCaptions {
    public static final String PAD = "<pad>";
    public static final String UNKNOWN = "<unk>";
    public static final String SLOT = "{}";

    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    public static final List<List<String>> SYNONYMS = List.of(
            List.of("t-shirt", "tee", "top"),
            List.of("trousers", "pants", "slacks"),
            List.of("pullover", "sweater", "jumper"),
            List.of("dress", "gown", "frock"),
            List.of("coat", "jacket", "overcoat"),
            List.of("sandal", "flip-flop", "slide"),
            List.of("shirt", "blouse", "button-down"),
            List.of("sneaker", "trainer", "running shoe"),
            List.of("bag", "handbag", "purse"),
            List.of("ankle boot", "boot", "bootie"));

    public static final List<String> TRAIN_TEMPLATES = List.of(
            "a photo of a {}",
            "a picture of a {}",
            "an image of a {}",
            "a photo of the {}",
            "a picture of the {}",
            "a small photo of a {}",
            "a grayscale photo of a {}",
            "a product photo of a {}");

    public static final List<String> HELD_OUT_TEMPLATES = List.of(
            "a blurry photo of a {}",
            "a low resolution image of the {}",
            "a cropped picture of one {}",
            "this is a {}",
            "a close-up photo of my {}");

    private final List<String> words;
    private final Map<String, Integer> ids = new HashMap<>();
    private final int maxTokens;

    private ImageTextCaptions(List<String> words, int maxTokens) {
        this.words = List.copyOf(words);
        for (int i = 0; i < words.size(); i++) {
            ids.put(words.get(i), i);
        }
        this.maxTokens = maxTokens;
    }

    /**
     * The vocabulary of every caption the training templates can make (the training captions draw from exactly these,
     * so every split gets the same ids without reading the training data), for captions of {@code maxTokens} tokens.
     *
     * @throws IllegalArgumentException when a caption of either template set has more than {@code maxTokens} words
     */
    public static ImageTextCaptions withMaxTokens(int maxTokens) {
        TreeSet<String> vocabulary = new TreeSet<>();
        for (String template : TRAIN_TEMPLATES) {
            for (List<String> synonyms : SYNONYMS) {
                for (String synonym : synonyms) {
                    vocabulary.addAll(words(fill(template, synonym)));
                }
            }
        }
        List<String> all = new ArrayList<>(List.of(PAD, UNKNOWN));
        all.addAll(vocabulary);
        ImageTextCaptions captions = new ImageTextCaptions(all, maxTokens);
        for (List<String> templates : List.of(TRAIN_TEMPLATES, HELD_OUT_TEMPLATES)) {
            for (String template : templates) {
                for (List<String> synonyms : SYNONYMS) {
                    for (String synonym : synonyms) {
                        int length = words(fill(template, synonym)).size();
                        if (length > maxTokens) {
                            throw new IllegalArgumentException("caption '" + fill(template, synonym) + "' has " + length
                                    + " words, more than max-length " + maxTokens);
                        }
                    }
                }
            }
        }
        return captions;
    }

    /** A vocabulary read back from its word list (an exported text tower's metadata). */
    public static ImageTextCaptions of(List<String> words, int maxTokens) {
        if (words.size() < 2 || !words.get(0).equals(PAD) || !words.get(1).equals(UNKNOWN)) {
            throw new IllegalArgumentException("a caption vocabulary starts with " + PAD + " and " + UNKNOWN + ", got "
                    + words.subList(0, Math.min(2, words.size())));
        }
        return new ImageTextCaptions(words, maxTokens);
    }

    public static String fill(String template, String synonym) {
        return template.replace(SLOT, synonym);
    }

    /** The words of a caption: lowercase, split at every character other than a letter, digit, hyphen or apostrophe. */
    public static List<String> words(String caption) {
        return Arrays.stream(caption.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}'-]+")).filter(w -> !w.isEmpty()).toList();
    }

    /** Token ids of {@code caption} padded with {@value #PAD} (0) to {@link #maxTokens}; extra words are dropped. */
    public long[] encode(String caption) {
        long[] out = new long[maxTokens];
        List<String> w = words(caption);
        for (int i = 0; i < Math.min(w.size(), maxTokens); i++) {
            out[i] = ids.getOrDefault(w.get(i), 1);
        }
        return out;
    }

    /** Every held-out template filled with every synonym of class {@code c}: the class's zero-shot prompts. */
    public static List<String> prompts(int c) {
        List<String> out = new ArrayList<>();
        for (String template : HELD_OUT_TEMPLATES) {
            for (String synonym : SYNONYMS.get(c)) {
                out.add(fill(template, synonym));
            }
        }
        return out;
    }

    /** A caption for an image of class {@code c}: a template and a synonym drawn from {@code random}. */
    public static String caption(int c, List<String> templates, Random random) {
        String template = templates.get(random.nextInt(templates.size()));
        List<String> synonyms = SYNONYMS.get(c);
        return fill(template, synonyms.get(random.nextInt(synonyms.size())));
    }

    /** The token list: {@value #PAD}, {@value #UNKNOWN}, then the words. */
    public List<String> vocabulary() {
        return words;
    }

    public int maxTokens() {
        return maxTokens;
    }
}
