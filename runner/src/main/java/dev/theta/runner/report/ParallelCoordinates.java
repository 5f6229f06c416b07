package dev.theta.runner.report;

import dev.theta.runner.sweep.SweepPlan;
import dev.theta.runner.sweep.SweepResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A sweep over more than two values as parallel coordinates in hand-written SVG: one vertical axis per swept value
 * (its values in grid order) and a last axis for the metric (best at the top); each run is a line through its
 * values, coloured like the grid heat map and drawn best last, so that the settings of the best runs are on top.
 */
final class ParallelCoordinates {
    private static final double SPACING = 170;
    private static final double LEFT = 120;
    private static final double TOP = 64;
    private static final double PLOT_HEIGHT = 300;

    private ParallelCoordinates() {
    }

    static String svg(String id, String title, SweepPlan plan, List<SweepResult> results) {
        List<String> keys = new ArrayList<>(plan.grid().keySet());
        double[] range = SweepCharts.range(plan, results);
        double width = LEFT + SPACING * keys.size() + 90;
        double height = TOP + PLOT_HEIGHT + 80;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart\" id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" %s>\n"
                        + "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n",
                Html.escape(id), width, height, width, height, HeatMap.FONT, width, height));
        b.append(HeatMap.text(12, 20, 15, "start", "font-weight=\"bold\"", title));
        for (int a = 0; a <= keys.size(); a++) {
            double x = x(a);
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#7a828f\"/>\n", x, TOP, x, TOP + PLOT_HEIGHT));
            b.append(HeatMap.text(x, TOP - 16, 12, "middle", "font-weight=\"bold\"", a < keys.size() ? keys.get(a) : plan.metric()));
        }
        List<SweepResult> order = new ArrayList<>(results);
        order.sort(Comparator.comparingDouble(r -> rank(plan, r, range)));
        for (SweepResult r : order) {
            b.append(line(plan, keys, r, range));
        }
        String halo = "paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\" dominant-baseline=\"middle\"";
        for (int a = 0; a < keys.size(); a++) {
            List<Object> values = plan.grid().get(keys.get(a));
            for (int j = 0; j < values.size(); j++) {
                b.append(HeatMap.text(x(a) - 6, y(j, values.size()), 11, "end", halo, SweepPlan.text(values.get(j))));
            }
        }
        if (Double.isFinite(range[0])) {
            double best = plan.minimise() ? range[0] : range[1];
            double worst = plan.minimise() ? range[1] : range[0];
            b.append(HeatMap.text(x(keys.size()) + 6, TOP, 11, "start", halo, SweepCharts.format(best)));
            b.append(HeatMap.text(x(keys.size()) + 6, TOP + PLOT_HEIGHT, 11, "start", halo, SweepCharts.format(worst)));
        }
        b.append(HeatMap.legend(id + "-scale", SweepCharts.scale(plan, range), 24, TOP + PLOT_HEIGHT + 24));
        return b.append("</svg>").toString();
    }

    /** Runs without the metric first (drawn underneath), then worst to best. */
    private static double rank(SweepPlan plan, SweepResult r, double[] range) {
        double v = r.metric(plan.metric());
        return Double.isFinite(v) ? SweepCharts.goodness(plan, v, range) : -1;
    }

    private static String line(SweepPlan plan, List<String> keys, SweepResult r, double[] range) {
        StringBuilder points = new StringBuilder();
        for (int a = 0; a < keys.size(); a++) {
            List<Object> values = plan.grid().get(keys.get(a));
            int j = values.indexOf(r.combination().values().get(keys.get(a)));
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(a), y(j, values.size())));
        }
        double v = r.metric(plan.metric());
        String style;
        String tooltip = r.combination().name() + ": " + r.status();
        if (Double.isFinite(v)) {
            double g = SweepCharts.goodness(plan, v, range);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f", x(keys.size()), TOP + (1 - g) * PLOT_HEIGHT));
            style = String.format(Locale.ROOT, "stroke=\"%s\" stroke-width=\"%.1f\"", HeatMap.hex(HeatMap.mix(SweepCharts.LINE_WORST, SweepCharts.BEST, g)),
                    g == 1 ? 3.5 : 1.8);
            tooltip += ", " + plan.metric() + " = " + SweepCharts.format(v);
        } else {
            style = "stroke=\"#b0b4bb\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"";
        }
        return String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" %s stroke-linejoin=\"round\"><title>%s</title></polyline>\n",
                points.toString().strip(), style, Html.escape(tooltip));
    }

    private static double x(int axis) {
        return LEFT + SPACING * axis;
    }

    /** Value {@code j} of {@code n} on an axis: the first at the top; a single value in the middle. */
    private static double y(int j, int n) {
        return n == 1 ? TOP + PLOT_HEIGHT / 2 : TOP + j * PLOT_HEIGHT / (n - 1);
    }
}
