package dev.theta.datasets;

import dev.theta.api.data.InMemoryDataset;
import dev.theta.api.spi.DataException;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The rows of a CSV file collected into features and labels, checked as they arrive (column numbers 1-based). */
final class CsvTable {
    private static final int LISTED_COLUMNS = 20;
    /** The most elements a Java array holds. */
    private static final int MAX_VALUES = Integer.MAX_VALUE - 8;
    /** More classes than this need at least as many rows: a label of 1e9 is a wrong column, not a billion classes. */
    private static final int MANY_CLASSES = 65_536;

    private final Path file;
    private final int columns;
    /** Where the expected column count comes from, for messages: "the header (line 1)". */
    private final String columnsFrom;
    private final String columnCountHint;
    private final List<String> columnNames;
    private final List<String> classNames;
    private final int declaredRows;
    private final long headerLine;
    private int labelColumn = -1;
    private boolean unlabeled;
    /** Allocated for the first row, which shows that rows are this wide, not only what a header claims. */
    private float[] features;
    private long[] labels;
    private long maxLabel;
    private long maxLabelLine;
    /** Each row's label as written, kept until the labels are known to be numbers or class names. */
    private final List<String> labelTexts = new ArrayList<>();
    private boolean textLabels;
    private int rows;

    private CsvTable(Path file, int columns, String columnsFrom, String columnCountHint, List<String> columnNames,
                     List<String> classNames, int declaredRows, long headerLine) {
        this.file = file;
        this.columns = columns;
        this.columnsFrom = columnsFrom;
        this.columnCountHint = columnCountHint;
        this.columnNames = columnNames;
        this.classNames = classNames;
        this.declaredRows = declaredRows;
        this.headerLine = headerLine;
    }

    /** No header: the first row sets the column count; {@code detected} adds a hint for a header auto-detection missed. */
    static CsvTable withoutHeader(Path file, int columns, long firstLine, boolean detected) {
        String hint = detected ? "; if line " + firstLine + " is a header, set the option header to names or sklearn" : "";
        return new CsvTable(file, columns, "line " + firstLine, hint, List.of(), List.of(), -1, 0);
    }

    static CsvTable withColumnNames(Path file, List<String> names, long line) {
        return new CsvTable(file, names.size(), "the header (line " + line + ")", "", List.copyOf(names), List.of(), -1, line);
    }

    /** scikit-learn's header {@code rows,features,class names...}. */
    static CsvTable withSklearnHeader(Path file, String[] header, long line) throws DataException {
        if (header.length < 2 || !CsvDatasetProvider.isCount(header[0]) || !CsvDatasetProvider.isCount(header[1])) {
            throw new DataException(file, line, "expected scikit-learn's header 'rows,features,class names...' starting with"
                    + " two whole numbers, got '" + String.join(",", header) + "'");
        }
        List<String> classNames = List.of(header).subList(2, header.length);
        if (classNames.isEmpty()) {
            throw new DataException(file, line, "scikit-learn header '" + String.join(",", header) + "' names no classes;"
                    + " expected 'rows,features,class names...'");
        }
        int features = Integer.parseInt(header[1]);
        return new CsvTable(file, features + 1, "the header (line " + line + ": " + features + " features and the label)", "",
                List.of(), List.copyOf(classNames), Integer.parseInt(header[0]), line);
    }

    /** Sets the label column from the {@code label} option: a 0-based index (negative from the end) or a column name. */
    void labelColumn(String spec) throws DataException {
        if (spec.equals(CsvDatasetProvider.NO_LABEL)) {
            unlabeled = true;
            return;
        }
        if (columns < 2) {
            throw new DataException(file, headerLine, "rows have " + columns + " column; expected feature columns and a label column"
                    + " (is the option delimiter right?)");
        }
        Integer index = parseIndex(spec);
        if (index != null) {
            labelColumn = index < 0 ? columns + index : index;
            if (labelColumn < 0 || labelColumn >= columns) {
                throw new DataException(file, headerLine, "label column " + spec + " is out of range: rows have " + columns
                        + " columns, so a label index is 0.." + (columns - 1) + " or -" + columns + "..-1");
            }
        } else if (columnNames.isEmpty()) {
            throw new DataException(file, headerLine, "label '" + spec + "' is a column name, but the file has no header"
                    + " line of column names; give the label column as a 0-based index instead");
        } else {
            labelColumn = columnNames.indexOf(spec);
            if (labelColumn < 0) {
                throw new DataException(file, headerLine, "no column named '" + spec + "' in the header"
                        + CsvDatasetProvider.suggestion(spec, columnNames) + "; columns: " + listColumns());
            }
        }
    }

    void add(String[] row, long line) throws DataException {
        if (row.length != columns) {
            throw new DataException(file, line, "row has " + row.length + " columns, expected " + columns + " as in "
                    + columnsFrom + columnCountHint);
        }
        int width = featureColumns();
        grow(width, line);
        int at = rows * width;
        for (int c = 0; c < columns; c++) {
            if (c == labelColumn) {
                labelTexts.add(row[c]);
                textLabels |= !row[c].isEmpty() && !isNumber(row[c]);
                if (!textLabels) {
                    labels[rows] = label(row[c], line);
                    if (labels[rows] > maxLabel) {
                        maxLabel = labels[rows];
                        maxLabelLine = line;
                    }
                }
            } else {
                features[at++] = number(row[c], c, line);
            }
        }
        rows++;
    }

    /** Room for one more row: capacity doubles, starting at about 4 MB of features, up to what one array holds. */
    private void grow(int width, long line) throws DataException {
        if (features == null) {
            int capacity = (int) Math.max(1, Math.min(1024, (1L << 20) / Math.max(1, width)));
            features = new float[capacity * width];
            labels = new long[capacity];
        } else if (rows == labels.length) {
            long capacity = Math.min(2L * rows, MAX_VALUES / Math.max(1, width));
            if (capacity <= rows) {
                throw new DataException(file, line, "the table has more than " + MAX_VALUES + " values (" + rows + " rows of "
                        + width + " features), more than one array holds; use fewer rows or features");
            }
            labels = Arrays.copyOf(labels, (int) capacity);
            features = Arrays.copyOf(features, (int) capacity * width);
        }
    }

    private int featureColumns() {
        return unlabeled ? columns : columns - 1;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    InMemoryDataset toDataset(String source) throws DataException {
        if (rows == 0) {
            throw new DataException(file, headerLine, "no data rows after the header line");
        }
        if (declaredRows >= 0 && declaredRows != rows) {
            throw new DataException(file, headerLine, "the header says " + declaredRows + " rows but the file has " + rows
                    + "; the file is truncated or was edited, so fix the count or the file");
        }
        int width = featureColumns();
        if (unlabeled) {
            return new InMemoryDataset(new DataSpec(Shape.of(width), DType.FLOAT32, 0, List.of(), Shape.SCALAR),
                    Tensor.of(Shape.of(rows, width), Arrays.copyOf(features, rows * width)), Tensor.zeros(DType.FLOAT32, Shape.of(rows)), source);
        }
        if (textLabels) {
            return withClassNames(source, width);
        }
        int classes = classNames.size();
        List<String> names = classNames;
        if (names.isEmpty()) {
            if (maxLabel >= Math.max(MANY_CLASSES, rows)) {
                throw new DataException(file, maxLabelLine, column(labelColumn) + ": label " + maxLabel + " makes " + (maxLabel + 1)
                        + " classes (0.." + maxLabel + ") for " + rows + " rows, so nearly all would have no example;"
                        + " labels are class indices 0..k-1: is the option label the label column?");
            }
            classes = (int) maxLabel + 1;
            names = InMemoryDataset.indexNames(classes);
        }
        return InMemoryDataset.classification(Shape.of(width), Arrays.copyOf(features, rows * width),
                Arrays.copyOf(labels, rows), classes, names, source);
    }

    /**
     * Labels that are class names ({@code setosa}): the classes are the names in sorted order, so a test file with the
     * same names gets the same indices; names the header declares keep the header's order.
     */
    private InMemoryDataset withClassNames(String source, int width) throws DataException {
        List<String> names = classNames.isEmpty() ? new TreeSet<>(labelTexts).stream().toList() : classNames;
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        long[] y = new long[rows];
        for (int i = 0; i < rows; i++) {
            Integer c = index.get(labelTexts.get(i));
            if (c == null) {
                throw new DataException(file, 0, column(labelColumn) + ": label '" + labelTexts.get(i) + "' of data row " + (i + 1)
                        + " is not among the classes named in the header (" + String.join(", ", names) + ")");
            }
            y[i] = c;
        }
        return InMemoryDataset.classification(Shape.of(width), Arrays.copyOf(features, rows * width), y, names.size(), names, source);
    }

    private float number(String text, int column, long line) throws DataException {
        if (text.isEmpty()) {
            throw new DataException(file, line, column(column) + ": value is missing (empty field); fill in or drop the row");
        }
        float v;
        try {
            v = Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new DataException(file, line, column(column) + ": '" + text + "' is not a number; feature columns must be"
                    + " numeric (label column: " + column(labelColumn) + ")");
        }
        if (!Float.isFinite(v)) {
            throw new DataException(file, line, column(column) + ": '" + text + "' is not a finite float32 number;"
                    + " replace missing, infinite or out-of-range values");
        }
        return v;
    }

    private long label(String text, long line) throws DataException {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (v != Math.rint(v) || Double.isInfinite(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new DataException(file, line, column(labelColumn) + ": label '" + text + "' is not a class index"
                    + " (a whole number 0, 1, ...) or a class name; is the option label the label column?");
        }
        if (v < 0) {
            throw new DataException(file, line, column(labelColumn) + ": label " + text + " is negative; class indices start at 0");
        }
        if (!classNames.isEmpty() && v >= classNames.size()) {
            throw new DataException(file, line, column(labelColumn) + ": label " + text + " is outside the " + classNames.size()
                    + " classes named in the header (" + String.join(", ", classNames) + "); allowed are 0.." + (classNames.size() - 1));
        }
        return (long) v;
    }

    private String column(int c) {
        return "column " + (c + 1) + (columnNames.isEmpty() ? "" : " '" + columnNames.get(c) + "'");
    }

    private String listColumns() {
        String listed = String.join(", ", columnNames.subList(0, Math.min(LISTED_COLUMNS, columnNames.size())));
        return columnNames.size() > LISTED_COLUMNS ? listed + ", ... (" + columnNames.size() + " in all)" : listed;
    }

    private static Integer parseIndex(String spec) {
        try {
            return Integer.valueOf(spec.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
