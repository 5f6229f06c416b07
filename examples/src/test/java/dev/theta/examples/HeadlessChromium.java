package dev.theta.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Opens an HTML report in a real headless Chromium (Debian package {@code chromium}) and reports which of its
 * images rendered. A missing browser fails the test: a report check that is skipped proves nothing.
 */
final class HeadlessChromium {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");
    private static final Pattern IMG = Pattern.compile("<img\\b[^>]*>");

    private HeadlessChromium() {
    }

    /** The images of {@code html}: each {@code <img>} tag as the browser left it, with data-rendered true or false. */
    static List<String> renderedImages(Path html) throws IOException, InterruptedException {
        // A copy next to the report (so relative image paths resolve) that marks every image once the page loaded.
        Path probe = html.resolveSibling("render-probe-" + html.getFileName());
        String page = Files.readString(html);
        String script = "<script>window.addEventListener('load', () => { for (const img of document.images) {"
                + " img.setAttribute('data-rendered', String(img.complete && img.naturalWidth > 0 && img.naturalHeight > 0)); }"
                + " document.body.setAttribute('data-probed', 'yes'); });</script>";
        Files.writeString(probe, page.replace("</body>", script + "</body>"));
        Path profile = Files.createTempDirectory("theta-chromium-");
        List<String> cmd = new ArrayList<>(List.of(binary(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom", probe.toUri().toString()));
        Path out = Files.createTempFile("theta-chromium-", ".html");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 120 s");
        }
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(probe);
        assertTrue(dom.contains("data-probed=\"yes\""), "chromium (exit " + p.exitValue() + ") did not load " + html + ":\n" + dom);
        List<String> images = new ArrayList<>();
        Matcher m = IMG.matcher(dom);
        while (m.find()) {
            images.add(m.group());
        }
        return images;
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
