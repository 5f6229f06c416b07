package dev.theta.datasets;

import dev.theta.api.data.DataFiles;
import dev.theta.api.spi.DataException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a delimited text file, split into trimmed fields, with their 1-based line numbers. Blank lines are
 * skipped. A field may be quoted with double quotes (a doubled quote inside stands for one); quoted fields do not
 * span lines.
 */
final class CsvRows implements AutoCloseable {
    private final Path file;
    private final char delimiter;
    private final BufferedReader reader;
    private final List<String> fields = new ArrayList<>();
    private long line;

    CsvRows(Path file, char delimiter) throws DataException {
        this.file = file;
        this.delimiter = delimiter;
        this.reader = new BufferedReader(new InputStreamReader(DataFiles.open(file), StandardCharsets.UTF_8), DataFiles.BUFFER);
    }

    /** The next non-blank row's fields, or null at the end of the file; {@link #line()} is then its line number. */
    String[] next() throws DataException {
        try {
            String text;
            do {
                text = reader.readLine();
                if (text == null) {
                    return null;
                }
                line++;
            } while (text.isBlank());
            return split(line == 1 ? stripByteOrderMark(text) : text);
        } catch (IOException e) {
            throw DataFiles.readError(file, e);
        }
    }

    long line() {
        return line;
    }

    private String[] split(String text) throws DataException {
        fields.clear();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == delimiter) {
                fields.add(field.toString().strip());
                field.setLength(0);
            } else if (c == '"' && field.toString().isBlank()) {
                quoted = true;
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new DataException(file, line, "a quoted field is not closed: quotes must open and close on the same line");
        }
        fields.add(field.toString().strip());
        return fields.toArray(String[]::new);
    }

    private static String stripByteOrderMark(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    @Override
    public void close() throws DataException {
        try {
            reader.close();
        } catch (IOException e) {
            throw DataFiles.readError(file, e);
        }
    }
}
