package dev.theta.datasets;

import dev.theta.api.options.Options;
import dev.theta.api.spi.DataException;
import dev.theta.api.spi.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a CSV file claims (a header's counts, a label's class index) allocates no more than the file holds. */
@Timeout(60)
class CsvBoundsTest {
    @TempDir
    Path dir;

    private Dataset load(String header) throws DataException {
        Options options = new CsvDatasetProvider().options().validate(Map.of("path", "t.csv", "header", header), "data", Set.of());
        return new CsvDatasetProvider().load(options, dir);
    }

    private DataException refused(String text, String header) throws IOException {
        Files.writeString(dir.resolve("t.csv"), text);
        DataException e = assertThrows(DataException.class, () -> load(header));
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void aFirstLineOfMillionsOfFieldsLoadsAsOneWideRow() throws Exception {
        int fields = 2_500_000;
        try (Writer w = Files.newBufferedWriter(dir.resolve("t.csv"))) {
            for (int i = 0; i < fields - 1; i++) {
                w.write("1,");
            }
            w.write("0\n");
        }
        Dataset data = load("auto");
        assertEquals(1, data.size());
        assertEquals(fields - 1, data.features().shape().dims()[1]);
    }

    @Test
    void anSklearnHeaderClaimingABillionFeaturesIsCheckedAgainstTheRows() throws IOException {
        DataException e = refused("2,999999999,a,b\n1,2,0\n3,4,1\n", "sklearn");
        assertEquals(dir.resolve("t.csv") + ":2: row has 3 columns, expected 1000000000 as in the header (line 1: 999999999"
                + " features and the label)", e.getMessage());
    }

    @Test
    void aLabelOfAMillionIsAWrongColumnNotAMillionClasses() throws IOException {
        for (String label : new String[] {"1000000", "1e9"}) {
            DataException e = refused("1,2,0\n3,4,1\n5,6," + label + "\n7,8,2\n", "none");
            assertTrue(e.getMessage().startsWith(dir.resolve("t.csv") + ":3: column 3: label "), e.getMessage());
            assertTrue(e.getMessage().contains("classes (0..") && e.getMessage().contains("for 4 rows"), e.getMessage());
        }
    }

    @Test
    void manyClassesWithAsManyRowsAreFine() throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 70_000; i++) {
            csv.append(i % 7).append(',').append(i).append('\n');
        }
        Files.writeString(dir.resolve("t.csv"), csv);
        assertEquals(70_000, load("none").spec().classes());
    }
}
