package dev.theta.runner.report;

import dev.theta.runner.sweep.SweepPlan;
import dev.theta.runner.sweep.SweepResult;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pictures of a sweep: its metric over the grid (a heat map for one or two swept values, parallel coordinates
 * for more) and the metric's curve per epoch of every run.
 */
final class SweepCharts {
    static final Color WORST = new Color(0xDEEBF7);
    static final Color BEST = new Color(0x08519C);
    /** The palest line colour; the heat map's palest cell colour would vanish against a white background. */
    static final Color LINE_WORST = new Color(0xA6C8E4);
    private static final Color MISSING = new Color(0xE4E6EA);
    private static final Color MISSING_LINE = new Color(0xB0B4BB);
    private static final int MAX_LEGEND = 6;

    private SweepCharts() {
    }

    /** The grid view: {@code grid} (heat map) for up to two swept values, {@code parallel} beyond. */
    static String grid(String name, SweepPlan plan, List<SweepResult> results) {
        List<String> keys = new ArrayList<>(plan.grid().keySet());
        return keys.size() <= 2 ? heatMap(name, plan, results, keys) : ParallelCoordinates.svg("grid", name + ": " + plan.metric(), plan, results);
    }

    private static String heatMap(String name, SweepPlan plan, List<SweepResult> results, List<String> keys) {
        String columnKey = keys.get(keys.size() - 1);
        String rowKey = keys.size() == 2 ? keys.get(0) : null;
        List<Object> rowValues = rowKey == null ? List.of(plan.metric()) : plan.grid().get(rowKey);
        List<Object> columnValues = plan.grid().get(columnKey);
        double[] range = range(plan, results);
        HeatMap.Cell[][] cells = new HeatMap.Cell[rowValues.size()][columnValues.size()];
        for (SweepResult r : results) {
            int row = rowKey == null ? 0 : rowValues.indexOf(r.combination().values().get(rowKey));
            int column = columnValues.indexOf(r.combination().values().get(columnKey));
            double v = r.metric(plan.metric());
            String tooltip = r.combination().name() + ": " + r.status() + (Double.isFinite(v) ? ", " + plan.metric() + " = " + format(v) : "")
                    + (r.message() == null ? "" : " (" + r.message() + ")");
            cells[row][column] = Double.isFinite(v)
                    ? new HeatMap.Cell(HeatMap.mix(WORST, BEST, goodness(plan, v, range)), format(v), tooltip)
                    : new HeatMap.Cell(MISSING, r.status(), tooltip);
        }
        return HeatMap.svg("grid", name + ": " + plan.metric() + " over the grid", rowKey == null ? "" : rowKey, columnKey,
                rowValues.stream().map(SweepPlan::text).toList(), columnValues.stream().map(SweepPlan::text).toList(),
                cells, List.of(scale(plan, range)));
    }

    /** The legend of the colour both grid views use: pale for the worst run, dark for the best. */
    static HeatMap.Scale scale(SweepPlan plan, double[] range) {
        double worst = plan.minimise() ? range[1] : range[0];
        double best = plan.minimise() ? range[0] : range[1];
        return new HeatMap.Scale(plan.metric() + (plan.minimise() ? " (smaller is better)" : " (larger is better)"), WORST, BEST,
                Double.isFinite(worst) ? format(worst) : "", "", Double.isFinite(best) ? format(best) : "");
    }

    /** The smallest and largest finite value of the plan's metric (NaN, NaN when no run has one). */
    static double[] range(SweepPlan plan, List<SweepResult> results) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (SweepResult r : results) {
            double v = r.metric(plan.metric());
            if (Double.isFinite(v)) {
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        return low <= high ? new double[] {low, high} : new double[] {Double.NaN, Double.NaN};
    }

    /** 0 for the worst value of the range, 1 for the best (by the plan's direction); 1 when every run scored the same. */
    static double goodness(SweepPlan plan, double v, double[] range) {
        double span = range[1] - range[0];
        if (!(span > 0)) {
            return 1;
        }
        double g = (v - range[0]) / span;
        return plan.minimise() ? 1 - g : g;
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /**
     * The metric's split and name per epoch for every run, e.g. test accuracy for {@code test.accuracy}, coloured as
     * the grid view (darker: better at the end); a legend only while it stays short.
     */
    static String curves(String name, SweepPlan plan, List<SweepResult> rows) {
        String split = plan.metric().substring(0, plan.metric().indexOf('.'));
        String metric = plan.metric().substring(split.length() + 1).replace('_', ' ');
        double[] range = range(plan, rows);
        List<Charts.Line> lines = new ArrayList<>();
        for (SweepResult r : rows) {
            List<double[]> points = RunReport.series(r.history(), plan.metric().substring(split.length() + 1)).getOrDefault(split, List.of());
            double v = r.metric(plan.metric());
            Color colour = Double.isFinite(v) ? HeatMap.mix(LINE_WORST, BEST, goodness(plan, v, range)) : MISSING_LINE;
            lines.add(new Charts.Line(r.combination().name(), points, colour, Charts.Weight.SOLID));
        }
        return Charts.lines("curves", name + ": " + split + " " + metric + " per epoch", "epoch", split + " " + metric,
                lines, lines.size() <= MAX_LEGEND);
    }
}
