package dev.theta.tasks.text;

import dev.theta.api.options.OptionException;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataException;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextDatasetProviderTest {
    private final TextDatasetProvider provider = new TextDatasetProvider();

    @TempDir
    Path dir;

    private Dataset load(String text, Object... options) throws Exception {
        Files.writeString(dir.resolve("t.txt"), text);
        return loadFile("t.txt", options);
    }

    private Dataset loadFile(String path, Object... options) throws DataException {
        Map<String, Object> raw = new HashMap<>();
        raw.put("path", path);
        for (int i = 0; i < options.length; i += 2) {
            raw.put((String) options[i], options[i + 1]);
        }
        Options validated = provider.options().validate(raw, "data.train", Set.of());
        return provider.load(validated, dir);
    }

    private static String decode(Dataset d, long[] ids) {
        StringBuilder s = new StringBuilder();
        for (long id : ids) {
            s.append(d.spec().classNames().get((int) id));
        }
        return s.toString();
    }

    private static long[] row(Dataset d, int example) {
        int n = d.spec().featureShape().dim(0);
        long[] out = new long[n];
        System.arraycopy(d.features().longs(), example * n, out, 0, n);
        return out;
    }

    @Test
    void isFoundByServiceLoader() {
        assertTrue(ServiceLoader.load(DatasetProvider.class).stream().anyMatch(p -> p.type() == TextDatasetProvider.class));
    }

    @Test
    void sequenceTargetsAreTheWindowShiftedByOneAndNeverCrossIntoTheValidationPart() throws Exception {
        // 20 characters, the last 5 the validation part.
        String text = "abcdefghijklmnoabcde";
        Dataset train = load(text, "context", 4, "validation-fraction", 0.25, "targets", "sequence");
        assertEquals(Shape.of(4), train.spec().targetShape());
        assertEquals(15 - 4, train.size(), "windows whose targets stay inside the 15 train characters");
        assertEquals(Shape.of(11, 4), train.targets().shape());
        for (int e = 0; e < train.size(); e++) {
            assertEquals(text.substring(e, e + 4), decode(train, row(train, e)));
            long[] targets = new long[4];
            System.arraycopy(train.targets().longs(), e * 4, targets, 0, 4);
            assertEquals(text.substring(e + 1, e + 5), decode(train, targets));
        }
        Dataset validation = load(text, "context", 4, "validation-fraction", 0.25, "targets", "sequence", "split", "validation");
        assertEquals(1, validation.size(), "5 validation characters hold one window of 4 and its next characters");
        assertEquals("abcd", decode(validation, row(validation, 0)));
        assertEquals(train.spec().classNames(), validation.spec().classNames());
        DataException tooShort = assertThrows(DataException.class, () -> load(text, "context", 5,
                "validation-fraction", 0.25, "targets", "sequence", "split", "validation"));
        assertTrue(tooShort.getMessage().contains("the validation part holds 5 chars tokens, too few for one window of 5"),
                tooShort.getMessage());
    }

    @Test
    void charactersGiveWindowsOfTheContextAndTheNextCharacter() throws Exception {
        Dataset d = load("abcab\ncba!", "context", 3, "validation-fraction", 0.0);
        assertEquals(List.of("\n", "!", "a", "b", "c"), d.spec().classNames(), "sorted vocabulary");
        assertEquals(DType.INT64, d.spec().featureType());
        assertEquals(Shape.of(3), d.spec().featureShape());
        assertEquals(5, d.spec().classes());
        assertEquals(10 - 3, d.size(), "every position after the first context predicts");
        assertEquals("abc", decode(d, row(d, 0)));
        assertEquals("a", d.spec().classNames().get((int) d.targets().longs()[0]));
        assertEquals("b\nc", decode(d, row(d, 4)));
        assertEquals("b", d.spec().classNames().get((int) d.targets().longs()[4]));
        assertEquals("!", d.spec().classNames().get((int) d.targets().longs()[6]));
    }

    @Test
    void theLastFractionIsValidationAndBothSplitsShareTheTrainVocabulary() throws Exception {
        String text = "abababababababababab" + "bbbaaa";
        Dataset train = load(text, "context", 2, "validation-fraction", 0.25);
        Dataset valid = load(text, "context", 2, "validation-fraction", 0.25, "split", "validation");
        // 26 characters: round(6.5) = 7 for validation, 19 for train.
        assertEquals(19 - 2, train.size());
        assertEquals(7, valid.size(), "the validation part predicts each of its tokens");
        assertEquals(train.spec(), valid.spec());
        assertEquals("ba", decode(valid, row(valid, 0)), "its first context reaches back into the train part");
        assertEquals("bbbaaa", decode(valid, valid.targets().longs()).substring(1));
        assertTrue(train.source().contains("train part") && valid.source().contains("validation part"), valid.source());
    }

    @Test
    void aTestFractionIsTheLastPartAndValidationTheOneBeforeIt() throws Exception {
        // 40 characters: the last 4 test, the 8 before them validation, the first 28 train.
        String text = "ab".repeat(14) + "cdcdcdcd" + "abba";
        Dataset train = load(text, "context", 2, "validation-fraction", 0.2, "test-fraction", 0.1);
        Dataset valid = load(text, "context", 2, "validation-fraction", 0.2, "test-fraction", 0.1, "split", "validation");
        Dataset test = load(text, "context", 2, "validation-fraction", 0.2, "test-fraction", 0.1, "split", "test");
        assertEquals(28 - 2, train.size());
        assertEquals(8, valid.size());
        assertEquals(4, test.size());
        String unknown = Vocabulary.UNKNOWN;
        assertEquals(unknown.repeat(8), decode(valid, valid.targets().longs()), "c and d are not in the train part");
        assertEquals("abba", decode(test, test.targets().longs()));
        assertEquals(unknown.repeat(2), decode(test, row(test, 0)), "its first context reaches back into the validation part");
        assertEquals(train.spec(), test.spec(), "one vocabulary, the train part's");
        assertEquals(List.of(unknown, "a", "b"), train.spec().classNames());
        assertTrue(test.source().contains("test part: tokens 36..39 of 40"), test.source());

        Dataset windows = load(text, "context", 2, "validation-fraction", 0.2, "test-fraction", 0.1, "split", "test",
                "targets", "sequence");
        assertEquals(2, windows.size(), "4 test characters hold two windows of 2 and their next characters");
        assertEquals("ab", decode(windows, row(windows, 0)), "a window never reaches into the part before");
    }

    @Test
    void aTestSplitNeedsATestFractionAndTheFractionsATrainPart() {
        OptionException noTest = assertThrows(OptionException.class, () -> load("abcdefghij", "split", "test"));
        assertEquals("data.train.test-fraction", noTest.path());
        assertTrue(noTest.getMessage().contains("so the test part is empty"), noTest.getMessage());
        OptionException noTrain = assertThrows(OptionException.class,
                () -> load("abcdefghij", "validation-fraction", 0.5, "test-fraction", 0.5));
        assertEquals("data.train.test-fraction", noTrain.path());
        assertTrue(noTrain.getMessage().contains("leaves no train part"), noTrain.getMessage());
    }

    @Test
    void charactersOnlyInTheValidationPartMapToOneUnknownToken() throws Exception {
        String text = "aaaaaaaabbbbbbbbxyz";
        Dataset train = load(text, "context", 1, "validation-fraction", 0.2);
        Dataset valid = load(text, "context", 1, "validation-fraction", 0.2, "split", "validation");
        assertEquals(List.of(Vocabulary.UNKNOWN, "a", "b"), train.spec().classNames());
        assertEquals(train.spec().classNames(), valid.spec().classNames());
        assertArrayEquals(new long[] {2, 0, 0, 0}, valid.targets().longs(), "b, then x y z unknown");
        Dataset plain = load("abab", "context", 1, "validation-fraction", 0.0);
        assertEquals(List.of("a", "b"), plain.spec().classNames(), "no unknown token when every character is known");
    }

    @Test
    void wordsSplitOnSpaceAndPunctuationWithAnUnknownToken() throws Exception {
        String text = "To be, or not to be: that is the question.\nO'er the hills; to be!";
        Dataset d = load(text, "tokens", "words", "context", 2, "validation-fraction", 0.2, "split", "validation");
        List<String> vocabulary = d.spec().classNames();
        assertEquals(Vocabulary.UNKNOWN, vocabulary.get(0));
        assertTrue(vocabulary.containsAll(List.of(",", ":", ".", "O'er", "To", "to", "be", "question")), vocabulary.toString());
        // 20 tokens, the last 4 of them validation; ';' and '!' occur only there.
        assertEquals(4, d.size());
        List<String> targets = new ArrayList<>();
        for (long id : d.targets().longs()) {
            targets.add(vocabulary.get((int) id));
        }
        assertEquals(List.of(Vocabulary.UNKNOWN, "to", "be", Vocabulary.UNKNOWN), targets);
        assertEquals(List.of("To", "be", ",", "or"), Tokenizer.WORDS.tokenize("To be, or").list());
        Dataset rare = load(text, "tokens", "words", "context", 1, "min-count", 2);
        assertTrue(!rare.spec().classNames().contains("question") && rare.spec().classNames().contains("be"),
                rare.spec().classNames().toString());
    }

    @Test
    void readsGzipAndDropsAByteOrderMark() throws Exception {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("t.txt.gz")))) {
            out.write("\uFEFFhello hello".getBytes(StandardCharsets.UTF_8));
        }
        Dataset d = loadFile("t.txt.gz", "context", 2, "validation-fraction", 0.0);
        assertEquals(List.of(" ", "e", "h", "l", "o"), d.spec().classNames());
    }

    @Test
    void errorsNameTheFile() throws IOException {
        Files.write(dir.resolve("bad.txt"), new byte[] {'a', '\n', 'b', '\n', (byte) 0xff, 'c'});
        DataException bad = assertThrows(DataException.class, () -> loadFile("bad.txt"));
        assertEquals(dir.resolve("bad.txt"), bad.file());
        assertEquals(3, bad.line());
        assertTrue(bad.getMessage().contains("not UTF-8") && bad.getMessage().contains("0xff"), bad.getMessage());

        Files.writeString(dir.resolve("empty.txt"), "");
        DataException empty = assertThrows(DataException.class, () -> loadFile("empty.txt"));
        assertTrue(empty.getMessage().startsWith(dir.resolve("empty.txt") + ": file is empty"), empty.getMessage());

        DataException shortText = assertThrows(DataException.class, () -> load("abcdefghij", "context", 9));
        assertTrue(shortText.getMessage().contains("t.txt: the train part holds 9 chars tokens")
                && shortText.getMessage().contains("context 9"), shortText.getMessage());

        DataException missing = assertThrows(DataException.class, () -> loadFile("tt.txt"));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());

        OptionException noValidation = assertThrows(OptionException.class,
                () -> load("abcdefghij", "split", "validation", "validation-fraction", 0.0));
        assertEquals("data.train.validation-fraction", noValidation.path());
    }
}
