package dev.theta.runner.report;

import dev.theta.core.metrics.ClassificationReport;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The confusion matrix of a split as a heat map coloured by each true class's share (so that a rare class's
 * mistakes show as clearly as a common one's), with the diagonal in blue and confusions in red, and the most frequent
 * confusions as a table in words.
 */
final class ConfusionView {
    static final int TOP = 10;
    private static final Color CORRECT_LOW = new Color(0xDCE7F5);
    private static final Color CORRECT_HIGH = new Color(0x1A4F95);
    private static final Color CONFUSED_LOW = new Color(0xFBE1DC);
    private static final Color CONFUSED_HIGH = new Color(0xB3261E);

    /** {@code count} examples of true class {@code actual} were predicted as {@code predicted}; {@code share} of that class. */
    record Confusion(String actual, String predicted, long count, double share) {
        String sentence() {
            return "true " + actual + " predicted as " + predicted + ": " + count + (count == 1 ? " time" : " times");
        }
    }

    private ConfusionView() {
    }

    /** The off-diagonal cells with a count, most frequent first (ties: larger share of the true class first). */
    static List<Confusion> top(ClassificationReport c, int limit) {
        long[][] m = c.confusion();
        List<Confusion> all = new ArrayList<>();
        for (int t = 0; t < m.length; t++) {
            long support = rowSum(m[t]);
            for (int p = 0; p < m[t].length; p++) {
                if (p != t && m[t][p] > 0) {
                    all.add(new Confusion(c.classNames().get(t), c.classNames().get(p), m[t][p], (double) m[t][p] / support));
                }
            }
        }
        all.sort(Comparator.comparingLong(Confusion::count).reversed().thenComparing(Comparator.comparingDouble(Confusion::share).reversed()));
        return all.subList(0, Math.min(limit, all.size()));
    }

    static String heatMap(String id, String title, ClassificationReport c) {
        long[][] m = c.confusion();
        int k = m.length;
        HeatMap.Cell[][] cells = new HeatMap.Cell[k][k];
        for (int t = 0; t < k; t++) {
            long support = rowSum(m[t]);
            for (int p = 0; p < k; p++) {
                if (m[t][p] == 0) {
                    continue;
                }
                double share = (double) m[t][p] / support;
                // A square root spreads the small shares that most confusions have over more of the colour range.
                Color fill = t == p ? HeatMap.mix(CORRECT_LOW, CORRECT_HIGH, Math.sqrt(share))
                        : HeatMap.mix(CONFUSED_LOW, CONFUSED_HIGH, Math.sqrt(share));
                String tooltip = String.format(Locale.ROOT, "true %s, predicted %s: %d of %d (%.1f%%)",
                        c.classNames().get(t), c.classNames().get(p), m[t][p], support, 100 * share);
                cells[t][p] = new HeatMap.Cell(fill, Long.toString(m[t][p]), tooltip);
            }
        }
        List<HeatMap.Scale> scales = List.of(
                new HeatMap.Scale("correct: share of the true class", CORRECT_LOW, CORRECT_HIGH, "0%", "25%", "100%"),
                new HeatMap.Scale("confused: share of the true class", CONFUSED_LOW, CONFUSED_HIGH, "0%", "25%", "100%"));
        return HeatMap.svg(id, title, "true class", "predicted class", c.classNames(), c.classNames(), cells, scales);
    }

    /** The most frequent confusions in words, or a sentence saying there are none. */
    static String table(ClassificationReport c) {
        List<Confusion> top = top(c, TOP);
        if (top.isEmpty()) {
            return "<p>No confusions: every example was classified correctly.</p>\n";
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < top.size(); i++) {
            Confusion one = top.get(i);
            rows.add(List.of(Integer.toString(i + 1), Html.escape(one.sentence()),
                    String.format(Locale.ROOT, "%.1f%%", 100 * one.share())));
        }
        return Html.table(List.of("#", "most frequent confusions", "share of the true class"), rows, 2);
    }

    private static long rowSum(long[] row) {
        long s = 0;
        for (long v : row) {
            s += v;
        }
        return s;
    }
}
