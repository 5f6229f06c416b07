package dev.theta.runner.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * The line charts of runs and sweeps, drawn with JFreeChart and written as SVG with JFreeSVG.
 * <p>
 * Reports show every chart once, as SVG inlined in the page rather than as linked PNGs: report.html is then a single
 * self-contained file (it can be mailed, archived or opened from a sweep without its neighbours), stays sharp at any
 * zoom and on high-density screens, and its labels are text the browser can search. Each chart is also written
 * beside the report as {@code <id>.svg}, so that it can be put into a paper or slides.
 */
final class Charts {
    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Color GRID = new Color(0xE3E6EB);
    /** Beyond this many points, markers would hide the line they sit on. */
    private static final int MAX_MARKED_POINTS = 40;

    static {
        // Charts are drawn off-screen; no display is needed (or wanted) on a server.
        System.setProperty("java.awt.headless", "true");
    }

    /** How a line is drawn: faint for raw values behind their smoothed curve, solid otherwise. */
    enum Weight { FAINT, SOLID }

    /** One line of a chart: its points (x, y) in order, NaN values left out. */
    record Line(String name, List<double[]> points, Color colour, Weight weight) {
        boolean isEmpty() {
            return points.stream().noneMatch(p -> Double.isFinite(p[1]));
        }
    }

    private Charts() {
    }

    /** The colour of a split, the same in every chart of every report: train blue, validation orange, test green. */
    static Color colour(String split, int index) {
        return switch (split) {
            case "train" -> new Color(0x1F77B4);
            case "validation" -> new Color(0xFF7F0E);
            case "test" -> new Color(0x2CA02C);
            default -> palette(index);
        };
    }

    /** A categorical palette (Tableau 10) for lines that are not splits, e.g. the runs of a sweep. */
    static Color palette(int index) {
        int[] rgb = {0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F, 0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0xBAB0AC};
        return new Color(rgb[Math.floorMod(index, rgb.length)]);
    }

    /** An SVG element (with id {@code id}) of a line chart with a legend; empty lines are left out. */
    static String lines(String id, String title, String xLabel, String yLabel, List<Line> lines) {
        return lines(id, title, xLabel, yLabel, lines, true);
    }

    static String lines(String id, String title, String xLabel, String yLabel, List<Line> lines, boolean legend) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<Line> drawn = lines.stream().filter(l -> !l.isEmpty()).toList();
        for (Line line : drawn) {
            XYSeries s = new XYSeries(line.name(), false, true);
            for (double[] p : line.points()) {
                if (Double.isFinite(p[1])) {
                    s.add(p[0], p[1]);
                }
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, legend, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        y.setAutoRangeIncludesZero(false);
        for (NumberAxis axis : List.of(x, y)) {
            axis.setLabelFont(LABEL);
            axis.setTickLabelFont(TICK);
            axis.setAxisLineVisible(false);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setDrawSeriesLineAsPath(true);
        // Filled markers need no outline; drawing both would write every marker into the SVG twice.
        renderer.setDrawOutlines(false);
        for (int i = 0; i < drawn.size(); i++) {
            Line line = drawn.get(i);
            boolean faint = line.weight() == Weight.FAINT;
            Color c = line.colour();
            renderer.setSeriesPaint(i, faint ? new Color(c.getRed(), c.getGreen(), c.getBlue(), 80) : c);
            renderer.setSeriesStroke(i, new BasicStroke(faint ? 1f : 2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            renderer.setSeriesShapesVisible(i, !faint && data.getSeries(i).getItemCount() <= MAX_MARKED_POINTS);
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
        }
        plot.setRenderer(renderer);
        chart.getTitle().setFont(TITLE);
        if (legend) {
            LegendTitle box = chart.getLegend();
            box.setPosition(RectangleEdge.BOTTOM);
            box.setItemFont(LABEL);
            box.setFrame(BlockBorder.NONE);
        }
        chart.setBackgroundPaint(Color.WHITE);
        return svg(chart, id);
    }

    /** The chart as an {@code <svg>} element (class plot: it may be stretched to its column); ids inside start with {@code id}. */
    static String svg(JFreeChart chart, String id) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        // Several charts share one page: distinct prefixes keep one chart's clip paths from capturing another's.
        g.setDefsKeyPrefix(id + "-");
        // A hundredth of a pixel is finer than any screen; the default full precision makes pages several times larger.
        g.setGeomDoubleConverter(Charts::hundredths);
        g.setTransformDoubleConverter(Charts::hundredths);
        chart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
        String element = g.getSVGElement(id, true, new ViewBox(0, 0, WIDTH, HEIGHT), null, null);
        return element.replaceFirst("<svg ", "<svg class=\"chart plot\" ");
    }

    private static String hundredths(double v) {
        long r = Math.round(v * 100);
        return r % 100 == 0 ? Long.toString(r / 100) : Double.toString(r / 100.0);
    }
}
