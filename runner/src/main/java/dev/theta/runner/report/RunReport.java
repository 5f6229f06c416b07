package dev.theta.runner.report;

import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.metrics.ClassificationReport;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.training.EpochMetrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pictures and {@code report.html} of a run: loss and accuracy curves per epoch (PNG and SVG), the test
 * confusion matrix of the last epoch, and tables of every epoch's metrics and of the per-class metrics.
 */
public final class RunReport {
    public static final String FILE = "report.html";

    private RunReport() {
    }

    public static void write(RunDirectory dir, String name, List<EpochMetrics> history) {
        try {
            StringBuilder body = new StringBuilder();
            EpochMetrics lastTest = last(history, "test");
            if (lastTest != null) {
                body.append(summary(lastTest));
            }
            body.append("<h2>Curves</h2>\n");
            writeAll(dir, Charts.render(Charts.lines(name + ": loss", "epoch", "mean loss per example",
                    series(history, "loss")), "loss", Charts.WIDTH, Charts.HEIGHT));
            body.append(Html.image("loss.png", "loss per epoch (PNG)")).append('\n');
            body.append(Html.image("loss.svg", "loss per epoch (SVG)")).append('\n');
            boolean hasAccuracy = history.stream().anyMatch(m -> Double.isFinite(m.accuracy()));
            if (hasAccuracy) {
                writeAll(dir, Charts.render(Charts.lines(name + ": accuracy", "epoch", "accuracy",
                        series(history, "accuracy")), "accuracy", Charts.WIDTH, Charts.HEIGHT));
                body.append(Html.image("accuracy.png", "accuracy per epoch (PNG)")).append('\n');
                body.append(Html.image("accuracy.svg", "accuracy per epoch (SVG)")).append('\n');
            }
            if (lastTest != null && lastTest.classification() != null) {
                ClassificationReport c = lastTest.classification();
                writeAll(dir, Charts.render(Charts.confusion(name + ": test confusion matrix, epoch " + lastTest.epoch(), c),
                        "confusion", Charts.WIDTH, Charts.HEIGHT));
                body.append("<h2>Test split, epoch ").append(lastTest.epoch()).append("</h2>\n");
                body.append(Html.image("confusion.png", "confusion matrix (PNG)")).append('\n');
                body.append(Html.image("confusion.svg", "confusion matrix (SVG)")).append('\n');
                body.append(classTable(c));
            }
            body.append("<h2>Every epoch</h2>\n").append(epochTable(history));
            dir.writeAtomically(FILE, Html.page("theta run " + name, body.toString()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserError(ExitCode.INTERNAL, "cannot write the report of " + dir.path() + ": " + e.getMessage(), e);
        }
    }

    private static void writeAll(RunDirectory dir, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            dir.writeAtomically(f.getKey(), f.getValue());
        }
    }

    static EpochMetrics last(List<EpochMetrics> history, String split) {
        EpochMetrics found = null;
        for (EpochMetrics m : history) {
            if (m.split().equals(split)) {
                found = m;
            }
        }
        return found;
    }

    /** Per split, the points (epoch, metric). */
    static Map<String, List<double[]>> series(List<EpochMetrics> history, String metric) {
        Map<String, List<double[]>> s = new LinkedHashMap<>();
        for (EpochMetrics m : history) {
            s.computeIfAbsent(m.split(), k -> new ArrayList<>()).add(new double[] {m.epoch(), m.get(metric)});
        }
        return s;
    }

    private static String summary(EpochMetrics test) {
        StringBuilder b = new StringBuilder("<p>After epoch ").append(test.epoch()).append(": test loss ")
                .append(Html.number(test.loss()));
        if (Double.isFinite(test.accuracy())) {
            b.append(", test accuracy ").append(Html.number(test.accuracy()));
        }
        if (Double.isFinite(test.get("macro_f1"))) {
            b.append(", macro F1 ").append(Html.number(test.get("macro_f1")));
        }
        if (Double.isFinite(test.get("roc_auc"))) {
            b.append(", ROC-AUC ").append(Html.number(test.get("roc_auc")));
        }
        return b.append(".</p>\n").toString();
    }

    private static String classTable(ClassificationReport c) {
        StringBuilder b = new StringBuilder("<table><tr><th class=\"l\">class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n");
        for (ClassificationReport.ClassMetrics m : c.classes()) {
            b.append("<tr><td class=\"l\">").append(Html.escape(m.name())).append("</td><td>").append(Html.number(m.precision()))
                    .append("</td><td>").append(Html.number(m.recall())).append("</td><td>").append(Html.number(m.f1()))
                    .append("</td><td>").append(m.support()).append("</td></tr>\n");
        }
        b.append("<tr><th class=\"l\">macro average</th><td></td><td></td><td>").append(Html.number(c.macroF1())).append("</td><td></td></tr>\n");
        return b.append("</table>\n").toString();
    }

    private static String epochTable(List<EpochMetrics> history) {
        StringBuilder b = new StringBuilder("<table><tr><th>epoch</th><th class=\"l\">split</th><th>loss</th><th>accuracy</th>"
                + "<th>macro F1</th><th>ROC-AUC</th><th>examples</th><th>seconds</th><th>examples/s</th></tr>\n");
        for (EpochMetrics m : history) {
            b.append("<tr><td>").append(m.epoch()).append("</td><td class=\"l\">").append(m.split()).append("</td><td>")
                    .append(Html.number(m.loss())).append("</td><td>").append(Html.number(m.accuracy())).append("</td><td>")
                    .append(Html.number(m.get("macro_f1"))).append("</td><td>").append(Html.number(m.get("roc_auc")))
                    .append("</td><td>").append(m.examples()).append("</td><td>").append(Html.number(m.seconds()))
                    .append("</td><td>").append(String.format(java.util.Locale.ROOT, "%.0f", m.examplesPerSecond())).append("</td></tr>\n");
        }
        return b.append("</table>\n").toString();
    }
}
