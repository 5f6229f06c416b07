package dev.theta.tasks.clip;

import dev.theta.api.options.OptionException;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataException;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.api.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageTextDatasetProviderTest {
    private static final int N = 200;
    private static final int PIXELS = ImageTextFiles.ROWS * ImageTextFiles.COLS;

    private final ImageTextDatasetProvider provider = new ImageTextDatasetProvider();

    @TempDir
    Path dir;

    private ImageTextDataset load(Map<String, Object> extra) throws IOException, DataException {
        ImageTextFiles.write(dir, N, 7);
        Map<String, Object> raw = new LinkedHashMap<>(Map.of("images", "images.idx", "labels", "labels.idx"));
        raw.putAll(extra);
        Options options = provider.options().validate(raw, "data.train", List.of());
        return (ImageTextDataset) provider.load(options, dir);
    }

    /** The captions of a dataset, decoded back from its token ids. */
    private static List<List<String>> decode(ImageTextDataset d) {
        int width = d.spec().featureSize();
        List<String> vocabulary = d.captions().vocabulary();
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            List<String> words = new ArrayList<>();
            for (int t = PIXELS; t < width; t++) {
                float id = d.features().floats()[i * width + t];
                assertEquals(Math.rint(id), id, "token ids are whole numbers");
                if (id != 0) {
                    words.add(vocabulary.get((int) id));
                }
            }
            out.add(words);
        }
        return out;
    }

    @Test
    void isDiscoveredAndDocumented() {
        assertTrue(ServiceLoader.load(DatasetProvider.class).stream().anyMatch(p -> p.type() == ImageTextDatasetProvider.class));
        provider.options().options().forEach(o -> assertFalse(o.doc().isBlank(), o.name()));
    }

    @Test
    void featuresArePixelsThenPaddedTokenIdsOfACaptionOfTheImagesClass() throws Exception {
        ImageTextDataset d = load(Map.of("max-length", 10));
        assertEquals(Shape.of(PIXELS + 10), d.spec().featureShape());
        assertEquals(10, d.spec().classes());
        assertEquals(ImageTextCaptions.CLASS_NAMES, d.spec().classNames());
        assertEquals(PIXELS, d.pixels());
        float[] f = d.features().floats();
        for (int i = 0; i < PIXELS; i++) {
            assertTrue(f[i] >= 0 && f[i] <= 1, "pixels scaled to [0, 1]");
        }
        List<List<String>> captions = decode(d);
        for (int i = 0; i < N; i++) {
            int c = (int) d.targets().longs()[i];
            String caption = String.join(" ", captions.get(i));
            boolean fits = false;
            for (String template : ImageTextCaptions.TRAIN_TEMPLATES) {
                for (String synonym : ImageTextCaptions.SYNONYMS.get(c)) {
                    fits |= caption.equals(ImageTextCaptions.fill(template, synonym));
                }
            }
            assertTrue(fits, "example " + i + " of class " + c + ": '" + caption + "'");
        }
        assertTrue(new HashSet<>(captions).size() > 40, "captions vary over templates and synonyms");
    }

    @Test
    void theCaptionChoiceIsSeeded() throws Exception {
        List<List<String>> a = decode(load(Map.of("seed", 3)));
        assertEquals(a, decode(load(Map.of("seed", 3))));
        assertNotEquals(a, decode(load(Map.of("seed", 4))));
    }

    @Test
    void heldOutCaptionsUseOtherTemplatesAndUnknownWordsBecomeOneToken() throws Exception {
        ImageTextDataset train = load(Map.of());
        ImageTextDataset test = load(Map.of("templates", "held-out"));
        assertEquals(train.captions().vocabulary(), test.captions().vocabulary(), "one vocabulary for every split");
        Set<String> trainCaptions = new HashSet<>();
        decode(train).forEach(c -> trainCaptions.add(String.join(" ", c)));
        boolean sawUnknown = false;
        for (List<String> c : decode(test)) {
            assertFalse(trainCaptions.contains(String.join(" ", c)), "held-out caption seen in training: " + c);
            sawUnknown |= c.contains(ImageTextCaptions.UNKNOWN);
        }
        assertTrue(sawUnknown);
        ImageTextCaptions captions = ImageTextCaptions.withMaxTokens(8);
        assertArrayEquals(new long[] {1, 1, 1, 0, 0, 0, 0, 0}, captions.encode("zebra Crossing xyzzy"));
        List<String> v = captions.vocabulary();
        assertEquals(List.of(ImageTextCaptions.PAD, ImageTextCaptions.UNKNOWN), v.subList(0, 2));
        long[] ids = captions.encode("A photo of a Running shoe");
        assertEquals(List.of("a", "photo", "of", "a", "running", "shoe", "<pad>", "<pad>"),
                Arrays.stream(ids).mapToObj(id -> v.get((int) id)).toList());
    }

    @Test
    void everyPromptAndSynonymFitsTheDefaultLengthAndTheTemplateSetsAreDisjoint() {
        ImageTextCaptions captions = ImageTextCaptions.withMaxTokens(12);
        assertTrue(captions.vocabulary().size() < 256, "fits dual-encoder's default vocabulary-size");
        for (String t : ImageTextCaptions.HELD_OUT_TEMPLATES) {
            assertFalse(ImageTextCaptions.TRAIN_TEMPLATES.contains(t), t);
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(ImageTextCaptions.HELD_OUT_TEMPLATES.size() * ImageTextCaptions.SYNONYMS.get(c).size(),
                    ImageTextCaptions.prompts(c).size());
            for (String synonym : ImageTextCaptions.SYNONYMS.get(c)) {
                for (String word : ImageTextCaptions.words(synonym)) {
                    assertTrue(captions.vocabulary().contains(word), word);
                }
            }
        }
    }

    @Test
    void aMaxLengthShorterThanSomeCaptionIsRefusedWithTheCaption() {
        OptionException e = assertThrows(OptionException.class, () -> load(Map.of("max-length", 5)));
        assertEquals("data.train.max-length", e.path());
        assertTrue(e.getMessage().contains("more than max-length 5"), e.getMessage());
    }
}
