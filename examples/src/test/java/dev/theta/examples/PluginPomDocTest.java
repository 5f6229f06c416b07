package dev.theta.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The complete plugin pom in docs/plugins.md works as written: copied with the example plugin's sources into an
 * empty folder, it builds with Maven into a jar that declares the plugin API version. Needs theta installed in the
 * local repository ({@code ./build install}, what CI runs).
 */
class PluginPomDocTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    @Test
    void theDocumentedPomBuildsAPluginJar() throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/plugins.md"));
        int section = doc.indexOf("## 1. A Maven project");
        int start = doc.indexOf("```xml\n", section) + "```xml\n".length();
        String pom = doc.substring(start, doc.indexOf("```", start));
        Files.writeString(dir.resolve("pom.xml"), pom);
        copy(ROOT.resolve("examples/plugin-example/src/main"), dir.resolve("src/main"));

        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("mvnw").toString(), "-q", "-B", "package")
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path log = dir.resolve("build.log");
        Process p = pb.redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "the build timed out");
        assertEquals(0, p.exitValue(), Files.readString(log));

        Path jar = dir.resolve("target/my-theta-plugin-1.0.0.jar");
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals("1", j.getManifest().getMainAttributes().getValue("Theta-Api-Version"));
            assertTrue(j.getEntry("META-INF/services/dev.theta.api.spi.LossProvider") != null, "the services files are in the jar");
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
