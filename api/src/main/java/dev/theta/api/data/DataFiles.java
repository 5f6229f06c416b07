package dev.theta.api.data;

import dev.theta.api.options.Names;
import dev.theta.api.spi.DataException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

    /** SHA-256 of each file's bytes as {@link #open} read them, by absolute normalised path; the last read wins. */
    private static final Map<Path, String> READ_HASHES = new ConcurrentHashMap<>();

    /**
     * The SHA-256 (hex) of {@code file}'s bytes as they were read by the last stream {@link #open} gave for it and
     * that was closed: what a dataset was built from, even when the file has been replaced since.
     */
    public static Optional<String> hashAsRead(Path file) {
        return Optional.ofNullable(READ_HASHES.get(file.toAbsolutePath().normalize()));
    }

    /**
     * Opens {@code file}, decompressing it when it starts with the gzip magic number 1f 8b. The raw bytes are hashed
     * as they are read (the rest of the file when the stream is closed early), for provenance: see {@link #hashAsRead}.
     */
    public static InputStream open(Path file) throws DataException {
        try {
            InputStream in = new BufferedInputStream(new HashingStream(file, Files.newInputStream(file)), BUFFER);
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

    /** Feeds every byte read into SHA-256; on close, reads what is left and records the digest. */
    private static final class HashingStream extends FilterInputStream {
        private final Path file;
        private final MessageDigest digest;

        HashingStream(Path file, InputStream in) {
            super(in);
            this.file = file.toAbsolutePath().normalize();
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                digest.update((byte) b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = in.read(buffer, off, len);
            if (n > 0) {
                digest.update(buffer, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipped bytes must be hashed too.
            byte[] scratch = new byte[(int) Math.min(n, BUFFER)];
            long skipped = 0;
            while (skipped < n) {
                int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() throws IOException {
            try {
                byte[] rest = new byte[BUFFER];
                while (read(rest, 0, rest.length) >= 0) {
                    // drained into the digest
                }
                READ_HASHES.put(file, HexFormat.of().formatHex(digest.digest()));
            } finally {
                in.close();
            }
        }
    }
}
