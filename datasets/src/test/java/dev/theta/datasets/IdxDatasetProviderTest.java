package dev.theta.datasets;

import dev.theta.api.data.DataFiles;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataException;
import dev.theta.api.spi.Dataset;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxDatasetProviderTest {
    private static final int N = 5;
    private static final int ROWS = 3;
    private static final int COLS = 2;

    private final IdxDatasetProvider provider = new IdxDatasetProvider();

    @TempDir
    Path dir;

    /** Pixel i of image k is (k * 50 + i) mod 256, so values cover 0..255 and every pixel is distinct per image. */
    private static byte[] pixels(int n) {
        byte[] p = new byte[n * ROWS * COLS];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < ROWS * COLS; i++) {
                p[k * ROWS * COLS + i] = (byte) ((k * 50 + i * 41) % 256);
            }
        }
        return p;
    }

    private static byte[] images(int n, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(16 + data.length);
        b.putInt(IdxDatasetProvider.IMAGES_MAGIC).putInt(n).putInt(ROWS).putInt(COLS).put(data);
        return b.array();
    }

    private static byte[] labels(byte... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(IdxDatasetProvider.LABELS_MAGIC).putInt(labels.length).put(labels);
        return b.array();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private Dataset load(Map<String, Object> raw) throws DataException {
        Options options = provider.options().validate(raw, "data", Set.of());
        return provider.load(options, dir);
    }

    private Dataset load(String images, String labels) throws DataException {
        return load(Map.of("images", images, "labels", labels));
    }

    private void writeStandardPair(boolean gzip) throws IOException {
        byte[] images = images(N, pixels(N));
        byte[] labels = labels((byte) 3, (byte) 0, (byte) 9, (byte) 1, (byte) 3);
        write("images", gzip ? gzip(images) : images);
        write("labels", gzip ? gzip(labels) : labels);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsRawAndGzipFiles(boolean gzip) throws Exception {
        writeStandardPair(gzip);
        Dataset data = load("images", "labels");

        assertEquals(N, data.size());
        assertEquals(Shape.of(ROWS * COLS), data.spec().featureShape());
        assertEquals(Shape.of(N, ROWS * COLS), data.features().shape());
        assertEquals(DType.FLOAT32, data.features().dtype());
        assertEquals(DType.INT64, data.targets().dtype());
        assertArrayEquals(new long[]{3, 0, 9, 1, 3}, data.targets().longs());
        assertEquals(10, data.spec().classes());
        byte[] p = pixels(N);
        for (int i = 0; i < p.length; i++) {
            assertEquals((p[i] & 0xff) / 255f, data.features().floats()[i], "pixel " + i);
        }
        assertTrue(data.source().contains("images") && data.source().contains("labels"));
    }

    @Test
    void scaleFalseKeepsPixelValuesAndLimitReadsAPrefix() throws Exception {
        writeStandardPair(true);
        Map<String, Object> raw = new HashMap<>(Map.of("images", "images", "labels", "labels", "scale", false, "limit", 2));
        Dataset data = load(raw);

        assertEquals(2, data.size());
        assertArrayEquals(new long[]{3, 0}, data.targets().longs());
        byte[] p = pixels(N);
        for (int i = 0; i < 2 * ROWS * COLS; i++) {
            assertEquals(p[i] & 0xff, data.features().floats()[i]);
        }
        assertEquals(10, data.spec().classes(), "a prefix without class 9 still has the standard 10 classes");
    }

    @Test
    void labelsAboveNineWidenTheClasses() throws Exception {
        write("images", images(2, pixels(2)));
        write("labels", labels((byte) 1, (byte) 12));
        assertEquals(13, load("images", "labels").spec().classes());
    }

    @Test
    void absolutePathsAreUsedAsTheyAre() throws Exception {
        writeStandardPair(false);
        Dataset data = provider.load(provider.options().validate(Map.of("images", dir.resolve("images").toString(),
                "labels", dir.resolve("labels").toString()), "data", Set.of()), Path.of("/nonexistent-base"));
        assertEquals(N, data.size());
    }

    @Test
    void missingFileNamesThePathAndSuggestsTheNearName() throws Exception {
        writeStandardPair(false);
        DataException e = assertThrows(DataException.class, () -> load("imagez", "labels"));
        assertEquals(dir.resolve("imagez"), e.file());
        assertTrue(e.getMessage().startsWith(dir.resolve("imagez") + ": no such file"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean " + dir.resolve("images")), e.getMessage());
        assertTrue(e.getMessage().contains("check the path"), e.getMessage());
    }

    @Test
    void missingFashionMnistSuggestsThePackageUnlessItIsInstalled() {
        String path = "/usr/share/datasets/fashion-mnist/no-such-file-idx3-ubyte.gz";
        DataException e = assertThrows(DataException.class, () -> load(path, path));
        assertTrue(e.getMessage().startsWith(path + ": no such file"), e.getMessage());

        Path file = Path.of(path);
        assertTrue(DataFiles.missingFileHint(file, dir, path, false).contains("apt-get install -y dataset-fashion-mnist"));
        assertEquals("; check the path", DataFiles.missingFileHint(file, dir, path, true));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedImageFileSaysExpectedAndActualBytes(boolean gzip) throws Exception {
        byte[] full = images(N, pixels(N));
        byte[] cut = Arrays.copyOf(full, full.length - 7);
        write("images", gzip ? gzip(cut) : cut);
        write("labels", labels(new byte[N]));
        DataException e = assertThrows(DataException.class, () -> load("images", "labels"));
        assertEquals(dir.resolve("images"), e.file());
        assertTrue(e.getMessage().contains("truncated: expected " + full.length + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("got " + cut.length), e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsReported() throws Exception {
        byte[] gz = gzip(images(N, pixels(N)));
        write("images", Arrays.copyOf(gz, gz.length / 2));
        write("labels", labels(new byte[N]));
        DataException e = assertThrows(DataException.class, () -> load("images", "labels"));
        assertTrue(e.getMessage().startsWith(dir.resolve("images") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void noImagesOrImagesTooLargeForAnArrayAreDataErrors() throws Exception {
        write("images", images(0, new byte[0]));
        write("labels", labels());
        DataException none = assertThrows(DataException.class, () -> load("images", "labels"));
        assertTrue(none.getMessage().contains("holds no images"), none.getMessage());

        ByteBuffer huge = ByteBuffer.allocate(16).putInt(IdxDatasetProvider.IMAGES_MAGIC).putInt(1).putInt(65536).putInt(65536);
        write("images", huge.array());
        write("labels", labels((byte) 0));
        DataException big = assertThrows(DataException.class, () -> load("images", "labels"));
        assertTrue(big.getMessage().contains("65536 x 65536 pixels are too large"), big.getMessage());
    }

    @Test
    void truncatedHeader() throws Exception {
        write("images", Arrays.copyOf(images(N, pixels(N)), 10));
        write("labels", labels(new byte[N]));
        DataException e = assertThrows(DataException.class, () -> load("images", "labels"));
        assertTrue(e.getMessage().contains("expected at least 16 bytes of IDX header, got 10"), e.getMessage());
    }

    @Test
    void swappedFilesAreRecognisedByTheirMagicNumber() throws Exception {
        writeStandardPair(true);
        DataException e = assertThrows(DataException.class, () -> load("labels", "images"));
        assertEquals(dir.resolve("labels"), e.file());
        assertTrue(e.getMessage().contains("wrong magic number 0x00000801: an IDX image file starts with 0x00000803"), e.getMessage());
        assertTrue(e.getMessage().contains("swapped"), e.getMessage());
    }

    @Test
    void wrongMagicNumberOfLabels() throws Exception {
        write("images", images(N, pixels(N)));
        write("labels", "hello, this is text\n".getBytes());
        DataException e = assertThrows(DataException.class, () -> load("images", "labels"));
        assertEquals(dir.resolve("labels"), e.file());
        assertTrue(e.getMessage().contains("wrong magic number 0x68656c6c: an IDX label file starts with 0x00000801;"
                + " this is not an IDX file"), e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws Exception {
        write("images", images(N, pixels(N)));
        write("labels", labels((byte) 1, (byte) 2));
        DataException e = assertThrows(DataException.class, () -> load("images", "labels"));
        assertEquals(dir.resolve("labels") + ": holds 2 labels but " + dir.resolve("images") + " holds 5 images;"
                + " the two files must come from the same split (train or t10k)", e.getMessage());
    }

    @Test
    void emptyFile() throws Exception {
        write("images", new byte[0]);
        write("labels", labels(new byte[N]));
        DataException e = assertThrows(DataException.class, () -> load("images", "labels"));
        assertEquals(dir.resolve("images") + ": file is empty; expected an IDX image file", e.getMessage());
    }

    @Test
    void trailingBytesAreAnError() throws Exception {
        byte[] full = images(N, pixels(N));
        write("images", Arrays.copyOf(full, full.length + 3));
        write("labels", labels(new byte[N]));
        DataException e = assertThrows(DataException.class, () -> load("images", "labels"));
        assertTrue(e.getMessage().contains("longer than its IDX header says"), e.getMessage());
    }
}
