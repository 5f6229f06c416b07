package dev.theta.runner.report;

import dev.theta.core.metrics.ClassificationReport;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ChartFactory;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pictures of runs and sweeps, drawn with JFreeChart and written as PNG and as SVG (JFreeSVG). */
final class Charts {
    static final int WIDTH = 640;
    static final int HEIGHT = 400;

    static {
        // Charts are drawn off-screen; no display is needed (or wanted) on a server.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** Line chart of named series, each a list of (x, y) points; NaN points are left out. */
    static JFreeChart lines(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, points) -> {
            XYSeries s = new XYSeries(name);
            for (double[] p : points) {
                if (Double.isFinite(p[1])) {
                    s.add(p[0], p[1]);
                }
            }
            data.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        plot.setRenderer(renderer);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** The confusion matrix as a heat map: rows are true classes (top to bottom), columns predicted classes. */
    static JFreeChart confusion(String title, ClassificationReport report) {
        long[][] m = report.confusion();
        int k = m.length;
        double[][] xyz = new double[3][k * k];
        long max = 1;
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                int i = t * k + p;
                xyz[0][i] = p;
                xyz[1][i] = t;
                xyz[2][i] = m[t][p];
                max = Math.max(max, m[t][p]);
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("count", xyz);
        String[] names = report.classNames().toArray(String[]::new);
        SymbolAxis predicted = new SymbolAxis("predicted class", names);
        SymbolAxis actual = new SymbolAxis("true class", names);
        actual.setInverted(true);
        predicted.setGridBandsVisible(false);
        actual.setGridBandsVisible(false);
        XYBlockRenderer renderer = new XYBlockRenderer();
        double top = max;
        renderer.setPaintScale(new BluePaintScale(top));
        XYPlot plot = new XYPlot(data, predicted, actual, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, k > 12 ? 8 : 12);
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                XYTextAnnotation a = new XYTextAnnotation(Long.toString(m[t][p]), p, t);
                a.setFont(font);
                a.setPaint(m[t][p] > top / 2 ? Color.WHITE : Color.BLACK);
                plot.addAnnotation(a);
            }
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** White for 0 to dark blue for the largest count. */
    private record BluePaintScale(double upper) implements PaintScale {
        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return upper;
        }

        @Override
        public Paint getPaint(double value) {
            double f = Math.max(0, Math.min(1, value / upper));
            return new Color((int) (255 - 215 * f), (int) (255 - 175 * f), (int) (255 - 95 * f));
        }
    }

    /** {@code base.png} and {@code base.svg} of {@code chart}, by file name. */
    static Map<String, byte[]> render(JFreeChart chart, String base, int width, int height) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, width, height);
        files.put(base + ".png", png.toByteArray());
        SVGGraphics2D svg = new SVGGraphics2D(width, height);
        chart.draw(svg, new Rectangle2D.Double(0, 0, width, height));
        files.put(base + ".svg", svg.getSVGDocument().getBytes(StandardCharsets.UTF_8));
        return files;
    }
}
