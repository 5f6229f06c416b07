package dev.theta.datasets;

import dev.theta.api.data.DataFiles;
import dev.theta.api.options.Names;
import dev.theta.api.options.Option;
import dev.theta.api.options.OptionException;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataException;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.DatasetProvider;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A table of numbers in a delimited text file (raw or gzip): every column but the label column is a float32 feature;
 * the label column holds class indices 0..k-1 (whole numbers; "3.0" is read as 3). The first line may be a header:
 * column names, or scikit-learn's {@code rows,features,class names...} line, which also names the classes. Without
 * class names, the number of classes is the largest label + 1.
 */
public final class CsvDatasetProvider implements DatasetProvider {
    private static final List<String> HEADERS = List.of("auto", "none", "names", "sklearn");
    /** The {@code label} option's value for a table of features only (data to predict). */
    static final String NO_LABEL = "none";

    private static final OptionSchema OPTIONS = OptionSchema.of(
            Option.string("path", null, "CSV file (raw or gzip), relative to the config's directory"),
            Option.string("label", "-1", "label column: a 0-based index (negative counts from the end, -1 = last) or a header name;"
                    + " labels are class indices or class names; none: features only (data to predict)"),
            Option.choice("header", "auto", HEADERS, "first line: auto = detect; none = data from line 1; names = column names;"
                    + " sklearn = 'rows,features,class names...'"),
            Option.string("delimiter", ",", "field separator, one character (\\t for a tab)"));

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public String description() {
        return "a table of numbers in a CSV file (raw or gzip) with a class column (indices or names), or features only";
    }

    @Override
    public OptionSchema options() {
        return OPTIONS;
    }

    @Override
    public Dataset load(Options options, Path baseDir) throws DataException {
        char delimiter = delimiter(options);
        Path file = DataFiles.existingFile(baseDir, options.getString("path"));
        try (CsvRows rows = new CsvRows(file, delimiter)) {
            String[] first = rows.next();
            if (first == null) {
                throw new DataException(file, 0, "file is empty; expected rows of numbers with a label column");
            }
            long firstLine = rows.line();
            String[] second = rows.next();
            long secondLine = rows.line();
            String mode = options.getString("header");
            if (mode.equals("auto")) {
                mode = looksLikeSklearnHeader(first, second) ? "sklearn" : allNumbers(first) ? "none" : "names";
            }
            CsvTable table = switch (mode) {
                case "none" -> CsvTable.withoutHeader(file, first.length, firstLine, options.getString("header").equals("auto"));
                case "names" -> CsvTable.withColumnNames(file, List.of(first), firstLine);
                case "sklearn" -> CsvTable.withSklearnHeader(file, first, firstLine);
                default -> throw new IllegalStateException(mode);
            };
            table.labelColumn(options.getString("label"));
            if (mode.equals("none")) {
                table.add(first, firstLine);
            }
            for (String[] row = second; row != null; row = rows.next()) {
                table.add(row, row == second ? secondLine : rows.line());
            }
            return table.toDataset(file.toString());
        }
    }

    private static char delimiter(Options options) {
        String d = options.getString("delimiter");
        if (d.equals("\\t") || d.equals("tab")) {
            return '\t';
        }
        if (d.length() != 1) {
            throw new OptionException(options.prefix() + ".delimiter", "expected one character (or \\t for a tab), got '" + d + "'");
        }
        return d.charAt(0);
    }

    /**
     * scikit-learn's first line: two counts, then class names, at least one of them not a number (so that a data row
     * is not mistaken for it), and the next row has features + 1 columns.
     */
    private static boolean looksLikeSklearnHeader(String[] first, String[] second) {
        if (first.length < 3 || second == null || !isCount(first[0]) || !isCount(first[1])) {
            return false;
        }
        String[] classNames = Arrays.copyOfRange(first, 2, first.length);
        return second.length == Integer.parseInt(first[1]) + 1 && !allNumbers(classNames);
    }

    static boolean isCount(String s) {
        return !s.isEmpty() && s.length() < 10 && s.chars().allMatch(Character::isDigit);
    }

    /** True when no field is text; empty fields count as numbers (missing values), not as column names. */
    private static boolean allNumbers(String[] fields) {
        for (String f : fields) {
            if (f.isEmpty()) {
                continue;
            }
            try {
                Double.parseDouble(f);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    /** The nearest name for "did you mean" hints, or an empty string. */
    static String suggestion(String name, List<String> names) {
        String near = Names.nearest(name, names);
        return near == null ? "" : " (did you mean '" + near + "'?)";
    }
}
