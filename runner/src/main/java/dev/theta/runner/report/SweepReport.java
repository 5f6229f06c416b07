package dev.theta.runner.report;

import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.run.RunDirectory;
import dev.theta.runner.sweep.SweepPlan;
import dev.theta.runner.sweep.SweepResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The summary of a sweep: {@code sweep.csv} and {@code sweep.md} (one row per run, best first by the sweep's
 * metric), and {@code report.html} with that table beside the metric over the grid (see {@link SweepCharts}), the
 * metric's curves of all runs, and links to each run's own report; the two charts are also written as SVG files.
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
            String grid = SweepCharts.grid(name, plan, rows);
            String curves = SweepCharts.curves(name, plan, rows);
            dir.writeAtomically("grid.svg", RunReport.standalone(grid));
            dir.writeAtomically("curves.svg", RunReport.standalone(curves));
            dir.writeAtomically(RunReport.FILE, html(name, plan, header, table, rows, grid, curves).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserError(ExitCode.INTERNAL, "cannot write the sweep summary in " + dir.path() + ": " + e.getMessage(), e);
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

    /**
     * The page: the table beside the grid view, then the curves. The table is kept compact to leave room beside it: a
     * run's long name is only the hover text of its report link, and metric columns that no run has are left out.
     */
    private static String html(String name, SweepPlan plan, List<String> header, List<List<String>> table, List<SweepResult> rows,
                               String grid, String curves) {
        List<Integer> shown = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            int column = c;
            if (c != 1 && table.stream().anyMatch(row -> !row.get(column).isEmpty())) {
                shown.add(c);
            }
        }
        List<String> columns = new ArrayList<>(List.of("rank", "run"));
        shown.stream().skip(1).forEach(c -> columns.add(header.get(c)));
        List<List<String>> cells = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) {
            String run = rows.get(i).combination().name();
            List<String> row = new ArrayList<>(List.of(table.get(i).get(0), "<a href=\"" + Html.escape(run + "/" + RunReport.FILE)
                    + "\" title=\"" + Html.escape(run) + "\">report</a>"));
            for (int c : shown.subList(1, shown.size())) {
                String cell = table.get(i).get(c);
                // Four significant digits read faster; sweep.csv keeps six.
                row.add(METRICS.contains(header.get(c)) && !cell.isEmpty() ? SweepCharts.format(Double.parseDouble(cell)) : Html.escape(cell));
            }
            cells.add(row);
        }
        String gridCaption = plan.grid().size() <= 2
                ? "Each cell is one run; the darker, the better its " + plan.metric() + ". Hover a cell for the run's name and status."
                : "Each line is one run through its swept values to its " + plan.metric() + " (best at the top); the best run is drawn thickest.";
        StringBuilder b = new StringBuilder(Html.row(List.of(
                "<div class=\"card\"><h3>Runs, best first</h3>\n" + Html.table(columns, cells, 3 + plan.grid().size()) + "</div>\n",
                Html.figure(grid, gridCaption))));
        b.append(Html.charts(List.of(Html.figure(curves, "The sweep's metric after every epoch of every run; the darker, the better the run ended."))));
        for (SweepResult r : rows) {
            if (r.message() != null) {
                b.append("<p>").append(Html.escape(r.combination().name())).append(": ").append(Html.escape(r.message())).append("</p>\n");
            }
        }
        String lead = rows.size() + " runs, best first by " + plan.metric() + (plan.minimise() ? " (smaller is better)." : " (larger is better).");
        return Html.page("theta sweep " + name, lead, b.toString());
    }
}
