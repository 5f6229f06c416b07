package dev.theta.datasets;

import dev.theta.api.data.InMemoryDataset;
import dev.theta.api.data.DataFiles;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.DataException;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.api.tensor.Shape;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * MNIST and Fashion-MNIST: an IDX image file (magic 0x00000803, uint8, dims n × rows × cols) and an IDX label file
 * (magic 0x00000801, uint8, n), each raw or gzip. Features are the flattened images, float32 [n, rows·cols]; targets
 * are int64 class indices. The number of classes is max(10, largest label + 1): 10 for the standard files, so that a
 * subset (see {@code limit}) that lacks a class keeps the usual 10 scores.
 */
public final class IdxDatasetProvider implements DatasetProvider {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    private static final int STANDARD_CLASSES = 10;

    private static final OptionSchema OPTIONS = OptionSchema.of(
            Option.string("images", null, "IDX image file (idx3-ubyte, raw or gzip), relative to the config's directory"),
            Option.string("labels", null, "IDX label file (idx1-ubyte, raw or gzip), relative to the config's directory"),
            Option.bool("scale", true, "divide pixels by 255 so that features lie in [0, 1]"),
            Option.integer("limit", 0, Range.NON_NEGATIVE, "read only the first this many examples; 0 reads all"),
            Option.choice("layout", "flat", List.of("flat", "image"),
                    "flat: each image a vector of H·W pixels; image: a (1, H, W) tensor (channels, height, width), for convolutions"));

    @Override
    public String name() {
        return "idx";
    }

    @Override
    public String description() {
        return "MNIST-style IDX image and label files (raw or gzip), such as Fashion-MNIST";
    }

    @Override
    public OptionSchema options() {
        return OPTIONS;
    }

    @Override
    public Dataset load(Options options, Path baseDir) throws DataException {
        Path imagesFile = DataFiles.existingFile(baseDir, options.getString("images"));
        Path labelsFile = DataFiles.existingFile(baseDir, options.getString("labels"));
        int limit = options.getInt("limit");
        try (IdxFile images = IdxFile.open(imagesFile, IMAGES_MAGIC, "image");
             IdxFile labels = IdxFile.open(labelsFile, LABELS_MAGIC, "label")) {
            if (images.dims()[0] != labels.dims()[0]) {
                throw new DataException(labelsFile, 0, "holds " + labels.dims()[0] + " labels but " + imagesFile + " holds "
                        + images.dims()[0] + " images; the two files must come from the same split (train or t10k)");
            }
            int n = limit == 0 ? images.dims()[0] : Math.min(limit, images.dims()[0]);
            if (n == 0) {
                throw new DataException(imagesFile, 0, "holds no images (its IDX header says 0); nothing to train or test on");
            }
            long size = (long) images.dims()[1] * images.dims()[2];
            if (size > Integer.MAX_VALUE) {
                throw new DataException(imagesFile, 0, "images of " + images.dims()[1] + " x " + images.dims()[2]
                        + " pixels are too large for one feature vector; is the IDX header right?");
            }
            int pixels = (int) size;
            float[] features = toFloats(images.read(n), options.getBool("scale"));
            long[] targets = toLongs(labels.read(n));
            if (limit == 0) {
                images.requireEnd();
                labels.requireEnd();
            }
            int classes = STANDARD_CLASSES;
            for (long t : targets) {
                classes = (int) Math.max(classes, t + 1);
            }
            Shape example = options.getString("layout").equals("image") ? Shape.of(1, images.dims()[1], images.dims()[2]) : Shape.of(pixels);
            return InMemoryDataset.classification(example, features, targets, classes,
                    InMemoryDataset.indexNames(classes), imagesFile + " + " + labelsFile);
        }
    }

    private static float[] toFloats(byte[] bytes, boolean scale) {
        float[] out = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = scale ? (bytes[i] & 0xff) / 255f : bytes[i] & 0xff;
        }
        return out;
    }

    private static long[] toLongs(byte[] bytes) {
        long[] out = new long[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[i] & 0xff;
        }
        return out;
    }

    /** An open IDX file positioned after its header. */
    private record IdxFile(Path file, InputStream in, int[] dims, String kind) implements AutoCloseable {

        static IdxFile open(Path file, int magic, String kind) throws DataException {
            InputStream in = DataFiles.open(file);
            try {
                int ndims = magic & 0xff;
                byte[] header = in.readNBytes(4 + 4 * ndims);
                if (header.length == 0) {
                    throw new DataException(file, 0, "file is empty; expected an IDX " + kind + " file");
                }
                if (header.length >= 4 && readInt(header, 0) != magic) {
                    throw new DataException(file, 0, wrongMagic(readInt(header, 0), magic, kind));
                }
                if (header.length < 4 + 4 * ndims) {
                    throw new DataException(file, 0, "file is truncated: expected at least " + (4 + 4 * ndims)
                            + " bytes of IDX header, got " + header.length);
                }
                int[] dims = new int[ndims];
                for (int i = 0; i < ndims; i++) {
                    dims[i] = readInt(header, 4 + 4 * i);
                    if (dims[i] < 0) {
                        throw new DataException(file, 0, "IDX header has a negative dimension " + dims[i] + "; the file is corrupt");
                    }
                }
                return new IdxFile(file, in, dims, kind);
            } catch (IOException e) {
                closeQuietly(in);
                throw DataFiles.readError(file, e);
            } catch (DataException e) {
                closeQuietly(in);
                throw e;
            }
        }

        /** The first {@code n} examples' bytes. */
        byte[] read(int n) throws DataException {
            long perExample = 1;
            for (int i = 1; i < dims.length; i++) {
                perExample *= dims[i];
            }
            long wanted = n * perExample;
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new DataException(file, 0, "too large to hold in one array: " + wanted + " bytes; use the limit option");
            }
            try {
                byte[] data = in.readNBytes((int) wanted);
                if (data.length < wanted) {
                    long headerBytes = 4 + 4L * dims.length;
                    throw new DataException(file, 0, "file is truncated: expected " + (headerBytes + dims[0] * perExample)
                            + " bytes (header + " + dims[0] + " " + kind + "s of " + perExample + " bytes), got "
                            + (headerBytes + data.length) + "; download or install it again");
                }
                return data;
            } catch (IOException e) {
                throw DataFiles.readError(file, e);
            }
        }

        /** Fails when bytes follow the data the header announces: a concatenated or mislabelled file. */
        void requireEnd() throws DataException {
            try {
                if (in.read() != -1) {
                    throw new DataException(file, 0, "file is longer than its IDX header says (" + dims[0] + " " + kind
                            + "s); it is not a single IDX " + kind + " file");
                }
            } catch (IOException e) {
                throw DataFiles.readError(file, e);
            }
        }

        @Override
        public void close() {
            closeQuietly(in);
        }

        private static String wrongMagic(int got, int expected, String kind) {
            String hint;
            if (got == (expected == IMAGES_MAGIC ? LABELS_MAGIC : IMAGES_MAGIC)) {
                hint = "this is an IDX " + (expected == IMAGES_MAGIC ? "label" : "image") + " file; are 'images' and 'labels' swapped?";
            } else if ((got & 0xffff0000) != 0) {
                hint = "this is not an IDX file";
            } else {
                hint = "this is an IDX file of another element type or rank; theta reads uint8 " + kind + " files";
            }
            return String.format("wrong magic number 0x%08x: an IDX %s file starts with 0x%08x; %s", got, kind, expected, hint);
        }

        private static int readInt(byte[] b, int at) {
            return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
        }

        private static void closeQuietly(InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // Nothing was written; a failed close of a read stream loses nothing.
            }
        }
    }
}
