package dev.theta.runner.report;

import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.run.RunDirectory;
import dev.theta.runner.sweep.SweepPlan;
import dev.theta.runner.sweep.SweepResult;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The summary of a sweep: {@code sweep.csv} and {@code sweep.md} (one row per run, best first by the sweep's
 * metric), and {@code report.html} with a bar chart of that metric, the test-loss curves of all runs, and links to
 * each run's own report.
 */
public final class SweepReport {
    /** Columns after the grid keys; the metric columns are split.metric names. */
    private static final List<String> METRICS = List.of("train.loss", "validation.loss", "validation.accuracy", "test.loss",
            "test.accuracy", "test.macro_f1", "test.roc_auc");

    private SweepReport() {
    }

    /** Sorts {@code results} best first by the plan's metric (runs without it last, in grid order). */
    public static List<SweepResult> sorted(SweepPlan plan, List<SweepResult> results) {
        Comparator<SweepResult> byMetric = Comparator.comparingDouble(r -> r.metric(plan.metric()));
        Comparator<SweepResult> order = Comparator.<SweepResult, Boolean>comparing(r -> Double.isNaN(r.metric(plan.metric())))
                .thenComparing(plan.minimise() ? byMetric : byMetric.reversed());
        List<SweepResult> sorted = new ArrayList<>(results);
        sorted.sort(order);
        return sorted;
    }

    public static void write(RunDirectory dir, String name, SweepPlan plan, List<SweepResult> results) {
        List<SweepResult> rows = sorted(plan, results);
        List<String> header = new ArrayList<>(List.of("rank", "run"));
        header.addAll(plan.grid().keySet());
        header.addAll(List.of("status", "epochs"));
        header.addAll(METRICS);
        header.add("seconds");
        List<List<String>> table = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            SweepResult r = rows.get(i);
            List<String> row = new ArrayList<>(List.of(Integer.toString(i + 1), r.combination().name()));
            plan.grid().keySet().forEach(k -> row.add(SweepPlan.text(r.combination().values().get(k))));
            row.add(r.status());
            row.add(Integer.toString(r.epochs()));
            METRICS.forEach(m -> row.add(number(r.metric(m))));
            row.add(String.format(Locale.ROOT, "%.2f", r.seconds()));
            table.add(row);
        }
        try {
            dir.writeAtomically("sweep.csv", csv(header, table).getBytes(StandardCharsets.UTF_8));
            dir.writeAtomically("sweep.md", markdown(name, plan, header, table, rows).getBytes(StandardCharsets.UTF_8));
            writeCharts(dir, name, plan, rows);
            dir.writeAtomically(RunReport.FILE, html(name, plan, header, table, rows).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserError(ExitCode.INTERNAL, "cannot write the sweep summary in " + dir.path() + ": " + e.getMessage(), e);
        }
    }

    private static void writeCharts(RunDirectory dir, String name, SweepPlan plan, List<SweepResult> rows) throws IOException {
        DefaultCategoryDataset bars = new DefaultCategoryDataset();
        for (SweepResult r : rows) {
            double v = r.metric(plan.metric());
            bars.addValue(Double.isFinite(v) ? v : null, plan.metric(), r.combination().name());
        }
        JFreeChart bar = ChartFactory.createBarChart(name + ": " + plan.metric() + " by run", "run", plan.metric(), bars,
                PlotOrientation.VERTICAL, false, false, false);
        bar.getCategoryPlot().getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        bar.getCategoryPlot().setBackgroundPaint(Color.WHITE);
        bar.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        bar.setBackgroundPaint(Color.WHITE);
        write(dir, Charts.render(bar, "metric", Charts.WIDTH, Charts.HEIGHT));
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        for (SweepResult r : rows) {
            curves.put(r.combination().name(), RunReport.series(r.history(), "loss").getOrDefault("test", List.of()));
        }
        write(dir, Charts.render(Charts.lines(name + ": test loss per epoch", "epoch", "test loss", curves), "test-loss",
                Charts.WIDTH, Charts.HEIGHT));
    }

    private static void write(RunDirectory dir, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            dir.writeAtomically(f.getKey(), f.getValue());
        }
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    private static String csv(List<String> header, List<List<String>> table) {
        StringBuilder b = new StringBuilder(String.join(",", header)).append('\n');
        for (List<String> row : table) {
            b.append(String.join(",", row.stream().map(SweepReport::csvField).toList())).append('\n');
        }
        return b.toString();
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String markdown(String name, SweepPlan plan, List<String> header, List<List<String>> table, List<SweepResult> rows) {
        StringBuilder b = new StringBuilder("# Sweep ").append(name).append("\n\n")
                .append(rows.size()).append(" runs, best first by ").append(plan.metric())
                .append(plan.minimise() ? " (smaller is better)" : " (larger is better)").append(".\n\n");
        b.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> b.append(" --- |"));
        b.append('\n');
        for (List<String> row : table) {
            b.append("| ").append(String.join(" | ", row.stream().map(s -> s.replace("|", "\\|")).toList())).append(" |\n");
        }
        for (SweepResult r : rows) {
            if (r.message() != null) {
                b.append("\n- ").append(r.combination().name()).append(": ").append(r.message());
            }
        }
        return b.append('\n').toString();
    }

    private static String html(String name, SweepPlan plan, List<String> header, List<List<String>> table, List<SweepResult> rows) {
        StringBuilder b = new StringBuilder("<p>").append(rows.size()).append(" runs, best first by ")
                .append(Html.escape(plan.metric())).append(plan.minimise() ? " (smaller is better)" : " (larger is better)").append(".</p>\n");
        b.append("<table><tr>");
        header.forEach(h -> b.append("<th class=\"l\">").append(Html.escape(h)).append("</th>"));
        b.append("<th class=\"l\">report</th></tr>\n");
        for (int i = 0; i < table.size(); i++) {
            b.append("<tr>");
            table.get(i).forEach(c -> b.append("<td class=\"l\">").append(Html.escape(c)).append("</td>"));
            String link = rows.get(i).combination().name() + "/" + RunReport.FILE;
            b.append("<td class=\"l\"><a href=\"").append(Html.escape(link)).append("\">report</a></td></tr>\n");
        }
        b.append("</table>\n");
        for (SweepResult r : rows) {
            if (r.message() != null) {
                b.append("<p>").append(Html.escape(r.combination().name())).append(": ").append(Html.escape(r.message())).append("</p>\n");
            }
        }
        b.append(Html.image("metric.png", plan.metric() + " by run (PNG)")).append('\n')
                .append(Html.image("metric.svg", plan.metric() + " by run (SVG)")).append('\n')
                .append(Html.image("test-loss.png", "test loss per epoch (PNG)")).append('\n')
                .append(Html.image("test-loss.svg", "test loss per epoch (SVG)")).append('\n');
        return Html.page("theta sweep " + name, b.toString());
    }
}
