package dev.theta.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Opens an HTML report in a real headless Chromium (Debian package {@code chromium}), reports which of its figures
 * rendered and takes screenshots. A missing browser fails the test: a report check that is skipped proves nothing.
 */
final class HeadlessChromium {
    /** The window width reports are laid out and photographed at. */
    static final int WIDTH = 1400;
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");
    private static final Pattern FIGURE = Pattern.compile("<img\\b[^>]*>|<svg\\b[^>]*class=\"chart[^\"]*\"[^>]*>");
    private static final Pattern HEIGHT = Pattern.compile("data-height=\"(\\d+)\"");

    private HeadlessChromium() {
    }

    /**
     * The page as the browser laid it out: its height at {@link #WIDTH} px and its figures, each {@code <img>} and
     * each chart's {@code <svg>} tag as the browser left it, with data-rendered true or false.
     */
    record Page(int height, List<String> figures) {
    }

    static Page load(Path html) throws IOException, InterruptedException {
        // A copy next to the report (so relative paths resolve) that marks every figure once the page loaded.
        Path probe = html.resolveSibling("render-probe-" + html.getFileName());
        String page = Files.readString(html);
        String script = "<script>window.addEventListener('load', () => {"
                + " for (const img of document.images) {"
                + " img.setAttribute('data-rendered', String(img.complete && img.naturalWidth > 0 && img.naturalHeight > 0)); }"
                + " for (const svg of document.querySelectorAll('svg.chart')) { const r = svg.getBoundingClientRect();"
                + " svg.setAttribute('data-rendered', String(r.width > 0 && r.height > 0 && svg.getBBox().width > 0)); }"
                + " document.body.setAttribute('data-height', String(document.documentElement.scrollHeight));"
                + " document.body.setAttribute('data-probed', 'yes'); });</script>";
        Files.writeString(probe, page.replace("</body>", script + "</body>"));
        Path out = Files.createTempFile("theta-chromium-", ".html");
        int exit = run(List.of("--window-size=" + WIDTH + ",1000", "--dump-dom", probe.toUri().toString()), out);
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(probe);
        Files.delete(out);
        assertTrue(dom.contains("data-probed=\"yes\""), "chromium (exit " + exit + ") did not load " + html + ":\n" + dom);
        List<String> figures = new ArrayList<>();
        Matcher m = FIGURE.matcher(dom);
        while (m.find()) {
            figures.add(m.group());
        }
        Matcher h = HEIGHT.matcher(dom);
        assertTrue(h.find(), "no page height in " + html);
        return new Page(Integer.parseInt(h.group(1)), figures);
    }

    /** Photographs {@code html} at {@link #WIDTH} x {@code height} px into {@code png}. */
    static void screenshot(Path html, int height, Path png) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        Path log = Files.createTempFile("theta-chromium-", ".log");
        int exit = run(List.of("--window-size=" + WIDTH + "," + height, "--screenshot=" + png.toAbsolutePath(), html.toUri().toString()), log);
        Files.delete(log);
        assertTrue(Files.isRegularFile(png), "chromium (exit " + exit + ") wrote no screenshot of " + html);
    }

    private static int run(List<String> args, Path stdout) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("theta-chromium-");
        List<String> cmd = new ArrayList<>(List.of(binary(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=10000",
                // The same layout for measuring and for photographing: no scroll bar taking width, one pixel per px.
                "--hide-scrollbars", "--force-device-scale-factor=1"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        boolean finished = p.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor();
        }
        deleteTree(profile);
        if (!finished) {
            fail("chromium did not finish within 120 s");
        }
        return p.exitValue();
    }

    /** A browser profile is tens of files; every test run would otherwise leave one behind in the temporary folder. */
    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : NAMES) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return fail("no headless Chromium on PATH (looked for " + NAMES + "); install it: apt-get install -y chromium");
    }
}
