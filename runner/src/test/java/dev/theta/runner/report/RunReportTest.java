package dev.theta.runner.report;

import dev.theta.api.spi.DataSpec;
import dev.theta.api.tensor.Shape;
import dev.theta.core.UserError;
import dev.theta.core.metrics.BinaryCurves;
import dev.theta.core.metrics.ClassificationReport;
import dev.theta.core.model.Preprocessing;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.training.EpochMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunReportTest {
    private static final Pattern CHART = Pattern.compile("<svg class=\"chart[^\"]*\" id=[\"']([^\"']+)[\"']");

    @TempDir
    Path path;

    private RunDirectory run(List<EpochMetrics> history) throws IOException {
        RunDirectory dir = new RunDirectory(path, false);
        dir.create(ordered("name", "tiny", "optimizer", ordered("name", "sgd", "lr", 0.05), "hypothesis", Map.of("hidden", List.of(8, 4))),
                DataSpec.classification(Shape.of(4), 2, List.of("no", "yes")), Preprocessing.NONE, Path.of("."));
        history.forEach(dir::appendMetrics);
        return dir;
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static List<EpochMetrics> classified(String... splits) {
        ClassificationReport c = ClassificationReport.of(List.of("no", "yes"), new long[][] {{9, 1}, {3, 7}}, 0.9);
        List<EpochMetrics> history = new ArrayList<>();
        for (int epoch = 1; epoch <= 3; epoch++) {
            for (String split : splits) {
                history.add(new EpochMetrics(epoch, split, 1.0 / epoch, 0.5 + epoch / 10.0, 20, 0.1, split.equals("train") ? null : c));
            }
        }
        return history;
    }

    private String report() throws IOException {
        return Files.readString(path.resolve(RunReport.FILE));
    }

    private static List<String> charts(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = CHART.matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void aTwoClassModelGetsItsRocAndPrecisionRecallCurvesOnce() throws IOException {
        BinaryCurves curves = BinaryCurves.of(new float[] {0.9f, 0.8f, 0.3f, 0.1f}, new long[] {1, 0, 1, 0}, 4, BinaryCurves.MAX_POINTS);
        ClassificationReport c = ClassificationReport.of(List.of("no", "yes"), new long[][] {{1, 1}, {1, 1}}, 0.75, curves);
        List<EpochMetrics> history = List.of(new EpochMetrics(1, "train", 0.7, 0.5, 4, 0.1, null),
                new EpochMetrics(1, "test", 0.6, 0.5, 4, 0.1, c));
        RunDirectory dir = run(history);
        RunReport.write(dir, "tiny", history);
        String html = report();
        assertEquals(List.of("loss", "accuracy", "confusion", "roc", "precision-recall"), charts(html));
        assertTrue(html.contains("ROC curve (AUC 0.7500)") && html.contains("ROC and precision-recall, test split, epoch 1"), html);
        assertTrue(Files.exists(path.resolve("roc.svg")) && Files.exists(path.resolve("precision-recall.svg")));
        // The curves survive the metrics file: a report written from the run directory alone draws them too.
        ClassificationReport read = RunDirectory.history(path).get(1).classification();
        assertEquals(curves.roc().size(), read.curves().roc().size());
        for (int i = 0; i < curves.roc().size(); i++) {
            assertEquals(curves.roc().get(i)[0], read.curves().roc().get(i)[0]);
        }
        assertEquals(curves.precisionRecall().size(), read.curves().precisionRecall().size());
        for (int i = 0; i < curves.precisionRecall().size(); i++) {
            assertEquals(curves.precisionRecall().get(i)[1], read.curves().precisionRecall().get(i)[1]);
        }
    }

    @Test
    void withoutStepsEveryEpochChartOnceAndNoStepCharts() throws IOException {
        List<EpochMetrics> history = classified("train", "validation", "test");
        RunReport.write(run(history), "tiny", history);
        String html = report();
        assertEquals(List.of("loss", "accuracy", "confusion"), charts(html));
        assertFalse(html.contains("<img"), html);
        for (String split : List.of("train", "validation", "test")) {
            assertTrue(html.contains(">" + split + "</text>"), "the legend names " + split);
        }
        assertTrue(html.contains("Confusion matrix, test split, epoch 3"), "the test split's matrix is preferred");
        assertTrue(html.contains("true yes predicted as no: 3 times"), html);
        assertTrue(html.contains("<h3>optimizer</h3>\n<table>\n<tr><td class=\"l\">name</td><td class=\"l\">sgd</td></tr>\n"
                + "<tr><td class=\"l\">lr</td><td class=\"l\">0.05</td></tr>"), "hyperparameters from config.yaml, by section: " + html);
        assertTrue(html.contains("<h3>run</h3>\n<table>\n<tr><td class=\"l\">name</td><td class=\"l\">tiny</td></tr>"), "top-level values");
        assertTrue(html.contains("<tr><td class=\"l\">hidden</td><td class=\"l\">[8, 4]</td></tr>"), html);
        assertTrue(html.contains("<td class=\"l\">class names</td><td class=\"l\">no, yes</td>"), "data from data-spec.json");
        assertTrue(html.contains("<td class=\"l\">validation examples</td><td class=\"l\">20</td>"), html);
        for (String id : charts(html)) {
            String file = Files.readString(path.resolve(id + ".svg"));
            assertTrue(file.startsWith("<?xml") && file.contains("xmlns=") && file.contains("</svg>"), id + ".svg is a standalone SVG");
        }
    }

    @Test
    void theHeadlineAndTheConfusionMatrixAreTheKeptEpochs() throws IOException {
        List<EpochMetrics> history = classified("train", "validation", "test");
        RunReport.write(run(history), "tiny", history, 2);
        String html = report();
        assertTrue(html.contains("Confusion matrix, test split, epoch 2"), "the kept epoch's matrix");
        assertTrue(html.contains("(test, epoch 2)"), "the kept epoch's headline numbers");
        assertEquals(List.of("loss", "accuracy", "confusion"), charts(html), "curves of every epoch still");
    }

    /** Writes the run directory of {@code history} with {@code steps} as its steps.csv, then its report. */
    private void reportWithSteps(List<EpochMetrics> history, String steps) throws IOException {
        RunDirectory dir = run(history);
        Files.writeString(path.resolve(StepsFile.NAME), steps);
        RunReport.write(dir, "tiny", history);
    }

    @Test
    void stepsCsvAddsLossPerStepAndTheLearningRate() throws IOException {
        StringBuilder steps = new StringBuilder("step,epoch,loss,lr\n");
        for (int s = 1; s <= 30; s++) {
            steps.append(s).append(',').append((s - 1) / 10 + 1).append(',').append(2.0 / s).append(',').append(0.1 / s).append('\n');
        }
        reportWithSteps(classified("train", "validation"), steps.toString());
        String html = report();
        assertEquals(List.of("loss-per-step", "learning-rate", "loss", "accuracy", "confusion"), charts(html));
        assertTrue(html.contains("Confusion matrix, validation split, epoch 3"), "without a test split, validation's matrix");
        assertTrue(html.contains("moving average (time constant 2 steps)"), html);
    }

    @Test
    void aStepsFileWithoutStepsDrawsNoStepCharts() throws IOException {
        reportWithSteps(classified("train", "test"), "step,epoch,loss,lr\n");
        assertEquals(List.of("loss", "accuracy", "confusion"), charts(report()));
    }

    @Test
    void aRegressionRunHasNoAccuracyAndNoConfusionMatrix() throws IOException {
        List<EpochMetrics> history = List.of(new EpochMetrics(1, "train", 3, Double.NaN, 10, 0.1, null),
                new EpochMetrics(1, "test", 4, Double.NaN, 5, 0.1, null));
        RunReport.write(new RunDirectory(Files.createDirectories(path), false), "regression", history);
        String html = report();
        assertEquals(List.of("loss"), charts(html));
        assertFalse(html.contains("<h2>Data and hyperparameters"), "no config.yaml and no data-spec.json, no tables");
        assertTrue(html.contains("<b>4.0000</b><span>loss (test, epoch 1)</span>"), html);
    }

    @Test
    void aMalformedStepsFileIsAnErrorNamingItsLine() throws IOException {
        UserError e = assertThrows(UserError.class, () -> reportWithSteps(classified("train", "test"), "step,epoch,loss,lr\n1,1,0.5\n"));
        assertTrue(e.getMessage().contains("steps.csv:2:"), e.getMessage());
    }
}
