package dev.theta.examples;

import dev.theta.runner.report.RunReport;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.training.EpochMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bar: a run's report.html at 10 and at 65 classes, opened in headless Chromium, shows each chart once and every
 * chart renders; the top-confusions table leads with the planted confusion; the full-page screenshot is the page's
 * size and not blank. The screenshots are kept as {@code docs/report-10-classes.png} and
 * {@code docs/report-65-classes.png}.
 */
class RunReportBrowserTest {
    /** The charts of a run with steps.csv and accuracy: per-step loss, learning rate, loss, accuracy, confusion. */
    private static final List<String> CHARTS = List.of("loss-per-step", "learning-rate", "loss", "accuracy", "confusion");
    private static final Pattern CHART_ID = Pattern.compile("<svg class=\"chart[^\"]*\" id=[\"']([^\"']+)[\"']");
    private static final Path DOCS = Path.of("..", "docs");

    @TempDir
    Path dir;

    @Test
    void tenClasses() throws Exception {
        check(ReportFixture.tenClasses(), "report-10-classes.png");
    }

    @Test
    void sixtyFiveClasses() throws Exception {
        check(ReportFixture.sixtyFiveClasses(), "report-65-classes.png");
    }

    private void check(ReportFixture fixture, String screenshot) throws Exception {
        Path run = dir.resolve(fixture.name());
        List<EpochMetrics> history = fixture.write(run);
        RunReport.write(new RunDirectory(run, false), fixture.name(), history);
        Path report = run.resolve(RunReport.FILE);
        String html = Files.readString(report);

        List<String> ids = new ArrayList<>();
        Matcher m = CHART_ID.matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        assertEquals(CHARTS, ids, "each chart once, in this order");
        assertFalse(html.contains("<img"), "charts are inline SVG, not also images");
        for (String id : CHARTS) {
            assertTrue(Files.exists(run.resolve(id + ".svg")), id + ".svg beside the report");
        }
        assertTrue(html.contains("<td class=\"l\">1</td><td class=\"l\">" + escape(fixture.planted()) + "</td>"),
                "the planted confusion leads the top-confusions table: " + fixture.planted());
        for (String split : List.of("train", "validation", "test")) {
            assertTrue(html.contains(">" + split + "</text>"), "the loss chart's legend names " + split);
        }
        assertTrue(html.contains("<tr><td class=\"l\">lr</td><td class=\"l\">0.001</td></tr>"), "hyperparameters from config.yaml");
        assertTrue(html.contains("<td class=\"l\">classes</td><td class=\"l\">" + fixture.classes().size() + "</td>"), "data-spec.json");

        HeadlessChromium.Page page = HeadlessChromium.load(report);
        assertEquals(CHARTS.size(), page.figures().size(), page.figures().toString());
        for (String figure : page.figures()) {
            assertTrue(figure.contains("data-rendered=\"true\""), "chart did not render: " + figure);
        }
        Path png = dir.resolve(screenshot);
        HeadlessChromium.screenshot(report, page.height(), png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(HeadlessChromium.WIDTH, image.getWidth());
        assertEquals(page.height(), image.getHeight());
        assertNotBlank(image);
        Files.createDirectories(DOCS);
        Files.copy(png, DOCS.resolve(screenshot), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Many colours, and a good share of the page that is not its background: charts and text were drawn. */
    private static void assertNotBlank(BufferedImage image) {
        int background = image.getRGB(0, 0);
        Set<Integer> colours = new HashSet<>();
        long drawn = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                colours.add(rgb);
                drawn += rgb == background ? 0 : 1;
            }
        }
        double share = drawn / (image.getWidth() / 2.0 * image.getHeight() / 2.0);
        assertTrue(colours.size() > 200, "only " + colours.size() + " colours in the screenshot");
        assertTrue(share > 0.3, "only " + share + " of the screenshot differs from its background");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
