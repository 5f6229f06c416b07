package dev.theta.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples/java-api, a Maven project of its own that depends on theta-core through the BOM, built with the Maven
 * wrapper and run with plain {@code java}, as a user would. It needs theta's modules in the local repository:
 * {@code ./build install} (what CI runs) puts them there before this module's tests.
 */
class JavaApiExampleTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path PROJECT = ROOT.resolve("examples/java-api");
    private static final Path MAIN = PROJECT.resolve("src/main/java/example/TrainDigits.java");

    @Test
    void buildsTrainsPredictsExportsAndReloads() throws Exception {
        assertTrue(Files.readAllLines(MAIN).size() <= 40, "the example's main class stays within 40 lines");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String build = run(PROJECT, 600, ROOT.resolve("mvnw").toString(), "-q", "-B", "-f", PROJECT.resolve("pom.xml").toString(),
                "package");
        String out = run(PROJECT, 300, java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                "target/classes:target/lib/*", "example.TrainDigits");
        Matcher m = Pattern.compile("test accuracy (\\S+); row 0 is (\\d+), predicted (\\d+), reloaded from ONNX (\\d+)").matcher(out);
        assertTrue(m.find(), build + out);
        assertTrue(Double.parseDouble(m.group(1)) >= 0.93, "test accuracy " + m.group(1));
        assertEquals(m.group(3), m.group(4), "the reloaded ONNX model predicts what the trained one does");
        assertEquals(m.group(2), m.group(3), "row 0 is predicted right");
    }

    private static String run(Path dir, int seconds, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path log = Files.createTempFile("java-api", ".log");
        Process p = pb.redirectOutput(log.toFile()).start();
        try {
            assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), String.join(" ", command) + " timed out:\n" + Files.readString(log));
            String output = Files.readString(log);
            assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + output);
            return output;
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }
}
