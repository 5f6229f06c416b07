package dev.theta.examples;

import dev.theta.runner.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bar: the sweep over the four WDBC losses x three learning rates gives 12 runs, sweep.csv, sweep.md and a
 * report.html whose charts render in headless Chromium (and so do a run's own report's charts).
 */
class SweepTest {
    @TempDir
    Path dir;

    @Test
    void wdbcFourLossesTimesThreeLearningRates() throws Exception {
        Path out = dir.resolve("sweep");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"sweep", "wdbc-sweep.yaml", "--out", out.toString(), "--parallel", "2",
                "--set", "train.epochs=3", "--set", "export=none"}, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));

        List<Path> runs;
        try (Stream<Path> s = Files.list(out)) {
            runs = s.filter(Files::isDirectory).sorted().toList();
        }
        assertEquals(12, runs.size(), runs.toString());
        for (Path run : runs) {
            assertEquals(9, Files.readAllLines(run.resolve("metrics.jsonl")).size(), run.toString());
            assertTrue(Files.exists(run.resolve("report.html")), run.toString());
        }
        List<String> csv = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals(13, csv.size());
        assertTrue(csv.get(0).startsWith("rank,run,loss.name,optimizer.lr,status,epochs,train.loss,validation.loss,validation.accuracy,test.loss"), csv.get(0));
        double previous = Double.POSITIVE_INFINITY;
        for (String row : csv.subList(1, csv.size())) {
            double accuracy = Double.parseDouble(row.split(",")[8]);
            assertTrue(accuracy <= previous, "sorted by validation.accuracy, best first: " + csv);
            previous = accuracy;
        }
        String md = Files.readString(out.resolve("sweep.md"));
        for (String loss : List.of("logistic", "hinge", "squared-hinge", "exponential")) {
            assertTrue(md.contains("| " + loss + " |"), md);
        }

        assertAllRender(out.resolve("report.html"), 2);
        // loss, accuracy, the confusion matrix and (two classes) the ROC and precision-recall curves; per-step loss
        // and learning rate where the run wrote steps.csv.
        assertAllRender(runs.get(0).resolve("report.html"), Files.exists(runs.get(0).resolve("steps.csv")) ? 7 : 5);
    }

    private static void assertAllRender(Path report, int expected) throws IOException, InterruptedException {
        List<String> charts = HeadlessChromium.load(report).figures();
        assertEquals(expected, charts.size(), report + ": " + charts);
        for (String chart : charts) {
            assertTrue(chart.contains("data-rendered=\"true\""), report + ": chart did not render: " + chart);
        }
    }
}
