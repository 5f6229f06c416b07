package dev.theta.runner.report;

import java.awt.Color;
import java.util.List;
import java.util.Locale;

/**
 * A heat map as hand-written SVG: the confusion matrix of a run and the metric grid of a sweep. Written by hand
 * rather than with JFreeChart's block renderer because cell size, which numbers fit into a cell and the hover text
 * of every cell ({@code <title>}) must be under control for 2 classes and for 65 alike.
 */
final class HeatMap {
    /** The largest grid (in px) for few rows; many rows get smaller cells, down to {@link #MIN_CELL}. */
    private static final double GRID = 600;
    private static final double MIN_CELL = 14;
    private static final double MAX_CELL = 56;
    /** Below this font size a number is not legible, so a cell too small for it shows colour only. */
    private static final double MIN_FONT = 7;
    /** Average advance of a DejaVu/Helvetica glyph per px of font size, to tell whether a text fits. */
    private static final double GLYPH = 0.6;
    private static final int MAX_LABEL = 18;
    static final String FONT = "font-family=\"'DejaVu Sans',Helvetica,Arial,sans-serif\"";

    /** One cell: its colour (null: left empty), the number written into it where it fits, and its hover text. */
    record Cell(Color fill, String text, String tooltip) {
    }

    /** A colour bar under the map: what the colour means, from {@code low} to {@code high}, with three tick texts. */
    record Scale(String label, Color low, Color high, String lowText, String midText, String highText) {
    }

    private HeatMap() {
    }

    /** The colour a fraction {@code t} (0 to 1) of the way from {@code low} to {@code high}. */
    static Color mix(Color low, Color high, double t) {
        double f = Math.max(0, Math.min(1, t));
        return new Color((int) Math.round(low.getRed() + (high.getRed() - low.getRed()) * f),
                (int) Math.round(low.getGreen() + (high.getGreen() - low.getGreen()) * f),
                (int) Math.round(low.getBlue() + (high.getBlue() - low.getBlue()) * f));
    }

    /** The cell size (px) for a map with {@code n} rows or columns. */
    static double cellSize(int n) {
        return Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor(GRID / Math.max(1, n))));
    }

    /** The font size of the numbers in cells of {@code cell} px, or 0 when no number is legible at that size. */
    static double cellFont(double cell) {
        double font = Math.min(13, cell * 0.5);
        return font < MIN_FONT ? 0 : font;
    }

    /** Whether {@code text} fits into a cell of {@code cell} px. */
    static boolean fits(String text, double cell) {
        double font = cellFont(cell);
        return font > 0 && text.length() * font * GLYPH <= cell - 3;
    }

    static String svg(String id, String title, String rowTitle, String columnTitle, List<String> rows, List<String> columns,
                      Cell[][] cells, List<Scale> scales) {
        double cell = cellSize(Math.max(rows.size(), columns.size()));
        double labelFont = Math.min(12, cell - 2);
        double cellFont = cellFont(cell);
        double rowLabels = longest(rows) * labelFont * GLYPH + 8;
        double columnLabels = longest(columns) * labelFont * GLYPH + 8;
        double left = 24 + rowLabels;
        double top = 34 + 18 + columnLabels;
        double gridW = cell * columns.size();
        double gridH = cell * rows.size();
        double legendTop = top + gridH + 16;
        double width = Math.max(Math.max(left + gridW + 12, 24 + 220.0 * scales.size()), 24 + title.length() * 15 * GLYPH);
        double height = legendTop + (scales.isEmpty() ? 0 : 46);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg class=\"chart\" id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                + "viewBox=\"0 0 %.0f %.0f\" %s>\n", Html.escape(id), width, height, width, height, FONT));
        b.append(String.format(Locale.ROOT, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>\n", width, height));
        b.append(text(12, 20, 15, "start", "font-weight=\"bold\"", title));
        b.append(text(left + gridW / 2, 34 + 12, 12, "middle", "", columnTitle));
        b.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"0\" font-size=\"12\" text-anchor=\"middle\" transform=\"translate(14 %.1f) rotate(-90)\">%s</text>\n",
                top + gridH / 2, Html.escape(rowTitle)));
        for (int c = 0; c < columns.size(); c++) {
            b.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"0\" font-size=\"%.1f\" transform=\"translate(%.1f %.1f) rotate(-90)\" dominant-baseline=\"middle\">%s</text>\n",
                    labelFont, left + (c + 0.5) * cell, top - 6, Html.escape(shorten(columns.get(c)))));
        }
        for (int r = 0; r < rows.size(); r++) {
            b.append(text(left - 6, top + (r + 0.5) * cell, labelFont, "end", "dominant-baseline=\"middle\"", shorten(rows.get(r))));
        }
        b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#f7f8fa\" stroke=\"#c9ced6\"/>\n",
                left, top, gridW, gridH));
        String gap = cell >= 24 ? " stroke=\"#fff\" stroke-width=\"1.5\"" : "";
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                Cell one = cells[r][c];
                if (one == null || one.fill() == null) {
                    continue;
                }
                double x = left + c * cell;
                double y = top + r * cell;
                b.append(String.format(Locale.ROOT, "<g><title>%s</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s/>",
                        Html.escape(one.tooltip()), x, y, cell, cell, hex(one.fill()), gap));
                if (one.text() != null && fits(one.text(), cell)) {
                    b.append(text(x + cell / 2, y + cell / 2, cellFont, "middle",
                            "dominant-baseline=\"central\" fill=\"" + (dark(one.fill()) ? "#fff" : "#1d2330") + "\"", one.text()).stripTrailing());
                }
                b.append("</g>\n");
            }
        }
        for (int i = 0; i < scales.size(); i++) {
            b.append(legend(id + "-scale-" + i, scales.get(i), 24 + 220.0 * i, legendTop));
        }
        return b.append("</svg>").toString();
    }

    /** The colour bar of {@code s}, 180 px wide and 44 px high, its top left corner at (x, y). */
    static String legend(String id, Scale s, double x, double y) {
        return String.format(Locale.ROOT, "<defs><linearGradient id=\"%s\"><stop offset=\"0\" stop-color=\"%s\"/><stop offset=\"1\" stop-color=\"%s\"/>"
                        + "</linearGradient></defs><rect x=\"%.1f\" y=\"%.1f\" width=\"180\" height=\"10\" fill=\"url(#%s)\" stroke=\"#c9ced6\"/>\n",
                Html.escape(id), hex(s.low()), hex(s.high()), x, y + 16, Html.escape(id))
                + text(x, y + 10, 12, "start", "", s.label())
                + text(x, y + 40, 10, "start", "", s.lowText())
                + text(x + 90, y + 40, 10, "middle", "", s.midText())
                + text(x + 180, y + 40, 10, "end", "", s.highText());
    }

    static String text(double x, double y, double size, String anchor, String extra, String text) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" text-anchor=\"%s\"%s>%s</text>\n",
                x, y, size, anchor, extra.isEmpty() ? "" : " " + extra, Html.escape(text));
    }

    /** Long class names would push the grid off the page; the hover text still names them in full. */
    private static String shorten(String label) {
        return label.length() <= MAX_LABEL ? label : label.substring(0, MAX_LABEL - 1) + "\u2026";
    }

    private static int longest(List<String> labels) {
        return labels.stream().mapToInt(l -> shorten(l).length()).max().orElse(0);
    }

    static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue());
    }

    private static boolean dark(Color c) {
        return 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue() < 140;
    }
}
