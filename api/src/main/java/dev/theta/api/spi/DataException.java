package dev.theta.api.spi;

import java.nio.file.Path;

/** Bad or unreadable data: names the file and, where it applies, the line (1-based; 0 when not applicable). */
public class DataException extends Exception {
    private final Path file;
    private final long line;

    public DataException(Path file, long line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    public DataException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
        this.line = 0;
    }

    public Path file() {
        return file;
    }

    public long line() {
        return line;
    }
}
