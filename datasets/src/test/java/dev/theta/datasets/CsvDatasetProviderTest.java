package dev.theta.datasets;

import dev.theta.api.options.OptionException;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataException;
import dev.theta.api.spi.Dataset;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvDatasetProviderTest {
    /** The datasets shipped in examples/data; tests run in the runner module's directory. */
    private static final Path EXAMPLES = Path.of("../examples/data");

    private final CsvDatasetProvider provider = new CsvDatasetProvider();

    @TempDir
    Path dir;

    private Dataset load(Path baseDir, String path, String... options) throws DataException {
        Map<String, Object> raw = new HashMap<>();
        raw.put("path", path);
        for (int i = 0; i < options.length; i += 2) {
            raw.put(options[i], options[i + 1]);
        }
        Options validated = provider.options().validate(raw, "data", Set.of());
        return provider.load(validated, baseDir);
    }

    private Dataset loadText(String text, String... options) throws Exception {
        Files.writeString(dir.resolve("t.csv"), text);
        return load(dir, "t.csv", options);
    }

    private DataException failure(String text, String... options) throws IOException {
        Files.writeString(dir.resolve("t.csv"), text);
        DataException e = assertThrows(DataException.class, () -> load(dir, "t.csv", options));
        assertEquals(dir.resolve("t.csv"), e.file());
        return e;
    }

    @Test
    void shippedDigitsAreGzipWithoutHeader() throws Exception {
        Dataset data = load(EXAMPLES, "digits.csv.gz");
        assertEquals(1797, data.size());
        assertEquals(Shape.of(64), data.spec().featureShape());
        assertEquals(Shape.of(1797, 64), data.features().shape());
        assertEquals(10, data.spec().classes());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), data.spec().classNames());
        float[] x = data.features().floats();
        // First row of the file: 0,0,5,13,9,1,0,0, ... label 0.
        assertArrayEquals(new float[]{0, 0, 5, 13, 9, 1, 0, 0}, Arrays.copyOf(x, 8));
        assertEquals(0, data.targets().longs()[0]);
        assertEquals(1, data.targets().longs()[1]);
        for (float v : x) {
            assertTrue(v >= 0 && v <= 16);
        }
    }

    @Test
    void shippedBreastCancerHasAScikitLearnHeader() throws Exception {
        Dataset data = load(EXAMPLES, "breast_cancer.csv");
        assertEquals(569, data.size());
        assertEquals(Shape.of(30), data.spec().featureShape());
        assertEquals(2, data.spec().classes());
        assertEquals(List.of("malignant", "benign"), data.spec().classNames());
        assertEquals(DType.INT64, data.targets().dtype());
        assertEquals(17.99f, data.features().floats()[0]);
        assertEquals(0.1189f, data.features().floats()[29]);
        assertEquals(0, data.targets().longs()[0]);
        long benign = Arrays.stream(data.targets().longs()).filter(t -> t == 1).count();
        assertEquals(357, benign, "WDBC has 357 benign and 212 malignant tumours");
    }

    @Test
    void namesHeaderAndLabelByName() throws Exception {
        Dataset data = loadText("y,a,b\n1,0.5,2\n0,1.5,-3\n2,\"7\",8\n", "label", "y");
        assertEquals(Shape.of(2), data.spec().featureShape());
        assertArrayEquals(new float[]{0.5f, 2, 1.5f, -3, 7, 8}, data.features().floats());
        assertArrayEquals(new long[]{1, 0, 2}, data.targets().longs());
        assertEquals(3, data.spec().classes());
    }

    @Test
    void labelByIndexWithoutHeaderAndOtherDelimiter() throws Exception {
        Dataset data = loadText("1;0.5;2\n\n0;1.5;3.0\n", "label", "0", "delimiter", ";");
        assertArrayEquals(new float[]{0.5f, 2, 1.5f, 3}, data.features().floats());
        assertArrayEquals(new long[]{1, 0}, data.targets().longs());
        assertEquals(2, data.spec().classes());
    }

    @Test
    void tabDelimiterAndWholeNumberLabelsWrittenAsFloats() throws Exception {
        Dataset data = loadText("0.5\t2\t1.0\n1.5\t3\t0.0\n", "delimiter", "\\t");
        assertArrayEquals(new long[]{1, 0}, data.targets().longs());
    }

    @Test
    void explicitHeaderNoneTreatsANumericFirstLineAsData() throws Exception {
        assertEquals(2, loadText("1,2,0\n3,4,1\n", "header", "none").size());
        assertEquals(1, loadText("1,2,0\n3,4,1\n", "header", "names").size());
    }

    @Test
    void scikitLearnHeaderWhoseClassNamesFillTheRow() throws Exception {
        // iris.csv's layout: as many header fields as data fields.
        Dataset data = loadText("2,3,setosa,versicolor,virginica\n5.1,3.5,1.4,0\n4.9,3.0,1.4,2\n");
        assertEquals(List.of("setosa", "versicolor", "virginica"), data.spec().classNames());
        assertEquals(3, data.spec().classes());
        assertEquals(Shape.of(3), data.spec().featureShape());
    }

    @Test
    void gzipIsDetectedByMagicNotByName() throws Exception {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("plain-name.csv")))) {
            out.write("1,2,0\n3,4,1\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(2, load(dir, "plain-name.csv").size());
    }

    @Test
    void missingFile() {
        DataException e = assertThrows(DataException.class, () -> load(dir, "nothing.csv"));
        assertEquals(dir.resolve("nothing.csv"), e.file());
        assertTrue(e.getMessage().startsWith(dir.resolve("nothing.csv") + ": no such file; check the path (relative paths"
                + " are resolved against " + dir), e.getMessage());
    }

    @Test
    void textInANumericColumnNamesLineColumnAndText() throws Exception {
        DataException e = failure("1,2,0\n3,oops,1\n");
        assertEquals(2, e.line());
        assertEquals(dir.resolve("t.csv") + ":2: column 2: 'oops' is not a number; feature columns must be numeric"
                + " (label column: column 3)", e.getMessage());
    }

    @Test
    void textInANamedColumnGivesItsName() throws Exception {
        DataException e = failure("a,b,y\n1,2,0\n\n3,4,1\n5,n/a,1\n");
        assertEquals(5, e.line());
        assertTrue(e.getMessage().contains(":5: column 2 'b': 'n/a' is not a number"), e.getMessage());
    }

    @Test
    void missingAndNonFiniteValues() throws Exception {
        assertTrue(failure("1,,0\n").getMessage().contains(":1: column 2: value is missing"));
        assertTrue(failure("1,2,0\n1,NaN,0\n").getMessage().contains(":2: column 2: 'NaN' is not a finite float32 number"));
    }

    @Test
    void rowWithADifferentNumberOfColumns() throws Exception {
        DataException e = failure("1,2,0\n3,4,1\n5,6,7,1\n");
        assertEquals(3, e.line());
        assertEquals(dir.resolve("t.csv") + ":3: row has 4 columns, expected 3 as in line 1; if line 1 is a header,"
                + " set the option header to names or sklearn", e.getMessage());
        DataException named = failure("a,b,y\n1,2\n");
        assertTrue(named.getMessage().endsWith(":2: row has 2 columns, expected 3 as in the header (line 1)"), named.getMessage());
    }

    @Test
    void labelOutsideTheClassesOfTheHeader() throws Exception {
        DataException e = failure("2,2,no,yes\n1,2,0\n3,4,2\n");
        assertEquals(3, e.line());
        assertEquals(dir.resolve("t.csv") + ":3: column 3: label 2 is outside the 2 classes named in the header (no, yes);"
                + " allowed are 0..1", e.getMessage());
    }

    @Test
    void negativeAndNonIntegerLabels() throws Exception {
        DataException negative = failure("1,2,0\n3,4,-1\n");
        assertEquals(dir.resolve("t.csv") + ":2: column 3: label -1 is negative; class indices start at 0", negative.getMessage());
        DataException fraction = failure("1,2,0.5\n");
        assertTrue(fraction.getMessage().contains(":1: column 3: label '0.5' is not a class index"), fraction.getMessage());
    }

    @Test
    void classNamesAsLabelsAreSortedAndKept() throws Exception {
        Dataset d = loadText("x,y\n1,cat\n2,dog\n3,cat\n4,ant\n");
        assertEquals(List.of("ant", "cat", "dog"), d.spec().classNames());
        assertArrayEquals(new long[] {1, 2, 1, 0}, d.targets().longs());
    }

    @Test
    void featuresWithoutLabels() throws Exception {
        Dataset d = loadText("1,2,3\n4,5,6\n", "label", "none");
        assertEquals(Shape.of(3), d.spec().featureShape());
        assertFalse(d.spec().isClassification());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, d.features().floats());
    }

    @Test
    void emptyFiles() throws Exception {
        assertEquals(dir.resolve("t.csv") + ": file is empty; expected rows of numbers with a label column",
                failure("").getMessage());
        assertTrue(failure("\n  \n").getMessage().contains("file is empty"));
        assertEquals(dir.resolve("t.csv") + ":1: no data rows after the header line", failure("a,b,y\n").getMessage());
    }

    @Test
    void scikitLearnRowCountMustMatch() throws Exception {
        DataException e = failure("3,2,no,yes\n1,2,0\n3,4,1\n");
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("the header says 3 rows but the file has 2"), e.getMessage());
    }

    @Test
    void badLabelOption() throws Exception {
        DataException unknown = failure("width,height,kind\n1,2,0\n", "label", "class");
        assertTrue(unknown.getMessage().contains(":1: no column named 'class' in the header; columns: width, height, kind"),
                unknown.getMessage());
        DataException near = failure("alpha,beta,label\n1,2,0\n", "label", "lable");
        assertTrue(near.getMessage().contains("(did you mean 'label'?)"), near.getMessage());
        DataException range = failure("1,2,0\n", "label", "3");
        assertTrue(range.getMessage().contains("label column 3 is out of range: rows have 3 columns, so a label index is 0..2"
                + " or -3..-1"), range.getMessage());
        DataException noHeader = failure("1,2,0\n", "label", "y");
        assertTrue(noHeader.getMessage().contains("the file has no header line of column names"), noHeader.getMessage());
    }

    @Test
    void badScikitLearnHeaderWhenAskedFor() throws Exception {
        DataException e = failure("a,b,y\n1,2,0\n", "header", "sklearn");
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("expected scikit-learn's header 'rows,features,class names...'"), e.getMessage());
    }

    @Test
    void delimiterMustBeOneCharacter() throws Exception {
        Files.writeString(dir.resolve("t.csv"), "1,2,0\n");
        OptionException e = assertThrows(OptionException.class, () -> load(dir, "t.csv", "delimiter", ";;"));
        assertEquals("data.delimiter", e.path());
    }

    @Test
    void unclosedQuote() throws Exception {
        assertTrue(failure("1,\"2,0\n").getMessage().contains(":1: a quoted field is not closed"));
    }
}
