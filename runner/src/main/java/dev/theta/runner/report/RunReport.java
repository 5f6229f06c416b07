package dev.theta.runner.report;

import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.metrics.BinaryCurves;
import dev.theta.core.metrics.ClassificationReport;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.training.EpochMetrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html} of a run, with every chart once (inline SVG, see {@link Charts}), each also written as
 * {@code <id>.svg}: the train loss per step (raw and smoothed) and the learning rate per step when the run directory
 * holds {@code steps.csv} with at least one step; loss and accuracy per epoch for every split the metrics have; the confusion matrix of
 * the last evaluated epoch with its most frequent confusions; the hyperparameters and the data; and tables of the
 * per-class and per-epoch metrics.
 */
public final class RunReport {
    public static final String FILE = "report.html";
    /** Splits in the order the report prefers them for its headline numbers and its confusion matrix. */
    private static final List<String> EVALUATED = List.of("test", "validation", "train");
    /** Up to this many classes the per-class table is shown open; beyond it, folded. */
    private static final int OPEN_CLASS_TABLE = 20;

    private RunReport() {
    }

    public static void write(RunDirectory dir, String name, List<EpochMetrics> history) {
        write(dir, name, history, 0);
    }

    /**
     * The report of a run that kept the model of {@code selectedEpoch} (0: its last): the headline numbers and the
     * confusion matrix are that epoch's, the curves and the table every epoch's.
     */
    public static void write(RunDirectory dir, String name, List<EpochMetrics> history, int selectedEpoch) {
        List<EpochMetrics> kept = selectedEpoch > 0 ? history.stream().filter(m -> m.epoch() <= selectedEpoch).toList() : history;
        try {
            Map<String, String> charts = new LinkedHashMap<>();
            StringBuilder body = new StringBuilder(tiles(kept, history));
            List<String> training = new ArrayList<>();
            Path steps = dir.path().resolve(StepsFile.NAME);
            List<StepsFile.Step> read = Files.exists(steps) ? StepsFile.read(steps) : List.of();
            if (!read.isEmpty()) {
                training.addAll(stepCharts(read, charts));
            }
            training.add(figure(charts, "loss", Charts.lines("loss", "Loss per epoch", "epoch", "mean loss per example",
                            lines(history, "loss")),
                    "Mean loss per example after each epoch. The train value is the running mean over the epoch's minibatches."));
            if (history.stream().anyMatch(m -> Double.isFinite(m.accuracy()))) {
                training.add(figure(charts, "accuracy", Charts.lines("accuracy", "Accuracy per epoch", "epoch", "accuracy",
                        lines(history, "accuracy")), "Share of examples whose highest score is the true class."));
            }
            body.append("<h2>Training</h2>\n").append(Html.charts(training));
            EpochMetrics evaluated = preferred(kept, true);
            if (evaluated != null) {
                body.append(confusion(evaluated, charts));
                if (evaluated.classification().curves() != null) {
                    body.append(curves(evaluated, charts));
                }
            }
            String settings = RunSettings.cards(RunSettings.data(dir.path(), history), RunSettings.hyperparameters(dir.path()));
            if (!settings.isEmpty()) {
                body.append("<h2>Data and hyperparameters</h2>\n").append(settings);
            }
            body.append("<h2>Every epoch</h2>\n<details><summary>metrics of every epoch and split (")
                    .append(history.size()).append(" rows)</summary>\n").append(epochTable(history)).append("</details>\n");
            for (Map.Entry<String, String> chart : charts.entrySet()) {
                dir.writeAtomically(chart.getKey() + ".svg", standalone(chart.getValue()));
            }
            String lead = history.isEmpty() ? "No epoch finished." : "Run directory " + dir.path().getFileName() + ", "
                    + epochs(history) + " epochs; splits " + String.join(", ", splits(history)) + ".";
            dir.writeAtomically(FILE, Html.page("theta run " + name, lead, body.toString()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserError(ExitCode.INTERNAL, "cannot write the report of " + dir.path() + ": " + e.getMessage(), e);
        }
    }

    /** An SVG element as a file of its own. */
    static byte[] standalone(String svg) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String figure(Map<String, String> charts, String id, String svg, String caption) {
        charts.put(id, svg);
        return Html.figure(svg, caption);
    }

    private static List<String> stepCharts(List<StepsFile.Step> steps, Map<String, String> charts) {
        List<double[]> loss = new ArrayList<>();
        List<double[]> lr = new ArrayList<>();
        for (StepsFile.Step s : steps) {
            loss.add(new double[] {s.step(), s.loss()});
            lr.add(new double[] {s.step(), s.lr()});
        }
        double tau = StepsFile.timeConstant(steps.size());
        String smoothed = String.format(Locale.ROOT, "moving average (time constant %.0f steps)", tau);
        return List.of(
                figure(charts, "loss-per-step", Charts.lines("loss-per-step", "Train loss per step", "step", "minibatch mean loss", List.of(
                                new Charts.Line("each step", StepsFile.decimate(loss), Charts.colour("train", 0), Charts.Weight.FAINT),
                                new Charts.Line(smoothed, StepsFile.decimate(StepsFile.smooth(loss, tau)), Charts.colour("train", 0), Charts.Weight.SOLID))),
                        "Faint: the mean loss of every optimizer step's minibatch. Solid: its exponential moving average, bias-corrected at the start."),
                figure(charts, "learning-rate", Charts.lines("learning-rate", "Learning rate per step", "step", "learning rate",
                                List.of(new Charts.Line("learning rate", StepsFile.decimate(lr), Charts.palette(6), Charts.Weight.SOLID))),
                        "The learning rate each optimizer step used: the schedule as it ran."));
    }

    /** A two-class model's ROC and precision-recall curves for the split and epoch the confusion matrix shows. */
    private static String curves(EpochMetrics m, Map<String, String> charts) {
        BinaryCurves c = m.classification().curves();
        String heading = m.split() + " split, epoch " + m.epoch();
        String positive = Html.escape(m.classification().classNames().get(1));
        String roc = figure(charts, "roc", Charts.lines("roc", String.format(Locale.ROOT, "ROC curve (AUC %.4f)",
                        m.classification().rocAuc()), "false-positive rate", "true-positive rate",
                List.of(new Charts.Line("model", c.roc(), Charts.colour(m.split(), 0), Charts.Weight.SOLID),
                        new Charts.Line("chance", List.of(new double[] {0, 0}, new double[] {1, 1}), Charts.palette(9), Charts.Weight.FAINT))),
                "Each point is a threshold on the score of class " + positive + ": the share of negatives and of positives above it.");
        String pr = figure(charts, "precision-recall", Charts.lines("precision-recall", "Precision-recall curve", "recall",
                        "precision", List.of(new Charts.Line("model", c.precisionRecall(), Charts.colour(m.split(), 0), Charts.Weight.SOLID))),
                "Precision and recall of class " + positive + " at each threshold on its score.");
        return "<h2>ROC and precision-recall, " + Html.escape(heading) + "</h2>\n" + Html.charts(List.of(roc, pr));
    }

    private static String confusion(EpochMetrics m, Map<String, String> charts) {
        ClassificationReport c = m.classification();
        String heading = m.split() + " split, epoch " + m.epoch();
        String map = figure(charts, "confusion", ConfusionView.heatMap("confusion", "Confusion matrix: " + heading, c),
                "Rows: true class; columns: predicted class. Colour: the cell's share of its row (its true class); "
                        + "counts are written where they fit, every cell names its count on hover.");
        String top = "<div class=\"card\"><h3>Most frequent confusions</h3>\n" + ConfusionView.table(c) + "</div>\n";
        boolean open = c.classes().size() <= OPEN_CLASS_TABLE;
        return "<h2>Confusion matrix, " + Html.escape(heading) + "</h2>\n" + Html.row(List.of(map, top))
                + "<details" + (open ? " open" : "") + "><summary>precision, recall and F1 of each of the " + c.classes().size()
                + " classes</summary>\n" + classTable(c) + "</details>\n";
    }

    /** The last epoch of the most preferred split (that has a classification report, if asked); null if none. */
    private static EpochMetrics preferred(List<EpochMetrics> history, boolean classified) {
        for (String split : EVALUATED) {
            EpochMetrics m = last(history, split);
            if (m != null && (!classified || m.classification() != null)) {
                return m;
            }
        }
        return null;
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

    /** Per split, in the order the splits first appear, the points (epoch, metric). */
    static Map<String, List<double[]>> series(List<EpochMetrics> history, String metric) {
        Map<String, List<double[]>> s = new LinkedHashMap<>();
        for (EpochMetrics m : history) {
            s.computeIfAbsent(m.split(), k -> new ArrayList<>()).add(new double[] {m.epoch(), m.get(metric)});
        }
        return s;
    }

    private static List<Charts.Line> lines(List<EpochMetrics> history, String metric) {
        List<Charts.Line> lines = new ArrayList<>();
        series(history, metric).forEach((split, points) ->
                lines.add(new Charts.Line(split, points, Charts.colour(split, lines.size()), Charts.Weight.SOLID)));
        return lines;
    }

    private static List<String> splits(List<EpochMetrics> history) {
        return new ArrayList<>(series(history, "loss").keySet());
    }

    private static int epochs(List<EpochMetrics> history) {
        return history.stream().mapToInt(EpochMetrics::epoch).max().orElse(0);
    }

    /** The headline numbers: the last epoch of the most preferred split that was evaluated. */
    /** The kept epoch's headline numbers ({@code kept}: the history up to it), and the training time of all. */
    private static String tiles(List<EpochMetrics> kept, List<EpochMetrics> history) {
        EpochMetrics m = preferred(kept, false);
        if (m == null) {
            return "";
        }
        List<String> tiles = new ArrayList<>();
        String after = " (" + m.split() + ", epoch " + m.epoch() + ")";
        for (String metric : List.of("accuracy", "macro_f1", "roc_auc", "loss")) {
            double v = m.get(metric);
            if (Double.isFinite(v)) {
                tiles.add(Html.tile(Html.number(v), metric.replace("macro_f1", "macro F1").replace("roc_auc", "ROC-AUC") + after));
            }
        }
        double seconds = history.stream().filter(e -> e.split().equals("train")).mapToDouble(EpochMetrics::seconds).sum();
        tiles.add(Html.tile(String.format(Locale.ROOT, "%.1f s", seconds), "training time, " + epochs(history) + " epochs"));
        return "<div class=\"tiles\">" + String.join("", tiles) + "</div>\n";
    }

    private static String classTable(ClassificationReport c) {
        List<List<String>> rows = new ArrayList<>();
        for (ClassificationReport.ClassMetrics m : c.classes()) {
            rows.add(List.of(Html.escape(m.name()), Html.number(m.precision()), Html.number(m.recall()), Html.number(m.f1()),
                    Long.toString(m.support())));
        }
        rows.add(List.of("<b>macro average</b>", "", "", Html.number(c.macroF1()), ""));
        return Html.table(List.of("class", "precision", "recall", "F1", "support"), rows, 1);
    }

    private static String epochTable(List<EpochMetrics> history) {
        List<List<String>> rows = new ArrayList<>();
        for (EpochMetrics m : history) {
            rows.add(List.of(Integer.toString(m.epoch()), m.split(), Html.number(m.loss()), Html.number(m.accuracy()),
                    Html.number(m.get("macro_f1")), Html.number(m.get("roc_auc")), Long.toString(m.examples()),
                    Html.number(m.seconds()), Double.isFinite(m.examplesPerSecond()) ? String.format(Locale.ROOT, "%.0f", m.examplesPerSecond()) : ""));
        }
        return Html.table(List.of("epoch", "split", "loss", "accuracy", "macro F1", "ROC-AUC", "examples", "seconds", "examples/s"), rows, 0);
    }
}
