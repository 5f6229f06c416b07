package dev.theta.api.data;

import dev.theta.api.options.Names;
import dev.theta.api.spi.DataException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Finding and opening data files, for dataset plugins: relative paths resolved against the config's folder, gzip
 * recognised by its magic number, and "no such file" messages that say what to do.
 */
public final class DataFiles {
    /** Large buffers: reading Fashion-MNIST's 26 MB of gzip is dominated by the number of read calls otherwise. */
    public static final int BUFFER = 1 << 16;

    private static final String FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

    private DataFiles() {
    }

    /** Resolves {@code given} against {@code baseDir} and checks that it is a readable file. */
    public static Path existingFile(Path baseDir, String given) throws DataException {
        if (given.indexOf('\0') >= 0) {
            throw new DataException(baseDir, 0, "data path '" + given.replace("\0", "\\0")
                    + "' holds a NUL character (\\0), which no file name can; check the path in the config");
        }
        Path file = baseDir.resolve(given).normalize();
        if (Files.isDirectory(file)) {
            throw new DataException(file, 0, "is a directory; expected a data file");
        }
        if (!Files.isRegularFile(file)) {
            throw new DataException(file, 0, "no such file" + similarName(file)
                    + missingFileHint(file, baseDir, given, Files.isDirectory(Path.of(FASHION_MNIST_DIR))));
        }
        if (!Files.isReadable(file)) {
            throw new DataException(file, 0, "file is not readable; check its permissions");
        }
        return file;
    }

    /** What to do about a missing file: install Fashion-MNIST's package where that is the cause, else check the path. */
    public static String missingFileHint(Path file, Path baseDir, String given, boolean fashionMnistInstalled) {
        if (file.startsWith(FASHION_MNIST_DIR) && !fashionMnistInstalled) {
            return "; Fashion-MNIST comes from the Debian package dataset-fashion-mnist: apt-get install -y dataset-fashion-mnist";
        }
        return "; check the path" + (Path.of(given).isAbsolute() ? ""
                : " (relative paths are resolved against " + baseDir.toAbsolutePath().normalize() + ")");
    }

    /** Opens {@code file}, decompressing it when it starts with the gzip magic number 1f 8b. */
    public static InputStream open(Path file) throws DataException {
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            return gzip ? new GZIPInputStream(in, BUFFER) : in;
        } catch (IOException e) {
            throw readError(file, e);
        }
    }

    /** The DataException for an I/O failure while reading {@code file}, with the usual causes spelled out. */
    public static DataException readError(Path file, IOException e) {
        if (e instanceof EOFException) {
            return new DataException(file, "compressed data ends early: the gzip file is truncated; download or install it again", e);
        }
        if (e instanceof ZipException) {
            return new DataException(file, "corrupt gzip data (" + e.getMessage() + "); download or install the file again", e);
        }
        return new DataException(file, "could not read the file: " + e, e);
    }

    private static String similarName(Path file) {
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return dir == null ? "" : " (directory " + dir + " does not exist either)";
        }
        try (Stream<Path> entries = Files.list(dir)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).toList();
            String near = Names.nearest(file.getFileName().toString(), names);
            return near == null ? "" : " (did you mean " + dir.resolve(near) + "?)";
        } catch (IOException e) {
            return "";
        }
    }
}
