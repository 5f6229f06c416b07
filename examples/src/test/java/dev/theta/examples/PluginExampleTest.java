package dev.theta.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.theta.runner.Main;
import dev.theta.core.model.OnnxModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The third-party plugin of examples/plugin-example, built with Maven as its own project, dropped into a fresh
 * plugins directory (it is on no class path of this build), trains the digits on every backend and passes
 * {@code theta check}.
 */
class PluginExampleTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path PROJECT = ROOT.resolve("examples/plugin-example");
    private static final String API = "theta-api-0.1.0-SNAPSHOT";

    @TempDir
    static Path plugins;

    @TempDir
    Path runs;

    @BeforeAll
    static void buildThePlugin() throws IOException, InterruptedException {
        ensureThetaApiInstalled();
        maven("-q", "-B", "-f", PROJECT.resolve("pom.xml").toString(), "package");
        Path jar = PROJECT.resolve("target/theta-plugin-example.jar");
        assertTrue(Files.isRegularFile(jar), "the build wrote no " + jar);
        Files.copy(jar, plugins.resolve(jar.getFileName()));
    }

    @ParameterizedTest(name = "focal + rbf on {0}")
    @ValueSource(strings = {"cpu", "onnxruntime", "reference64"})
    void focalLossAndRbfNetworkLearnTheDigits(String backend) throws IOException {
        Path out = runs.resolve(backend);
        Result r = theta("--plugins", plugins.toString(), "train", "digits.yaml", "--out", out.toString(),
                "--set", "loss={name: focal, gamma: 2}", "--set", "hypothesis={name: rbf, centres: 64}",
                "--set", "backend.name=" + backend, "--set", "train.epochs=8", "--set", "optimizer.lr=0.1");
        assertEquals(0, r.code(), r.err());
        JsonNode test = lastTestMetrics(out);
        double accuracy = test.get("accuracy").asDouble();
        assertTrue(accuracy >= 0.75, backend + ": digits test accuracy " + accuracy + " (chance is 0.1)");

        Path model = out.resolve("model.onnx");
        try (OnnxModel onnx = OnnxModel.open(model)) {
            float[] features = new float[2 * 64];
            for (int i = 0; i < features.length; i++) {
                features[i] = (i % 7) / 7f;
            }
            OnnxModel.Predictions p = onnx.predict(features, 2, new int[] {64});
            assertEquals(2 * 10, p.scores().length);
            for (float s : p.scores()) {
                assertTrue(Float.isFinite(s), "ONNX Runtime gave a non-finite score " + s);
            }
        }
    }

    @ParameterizedTest(name = "theta check {0}")
    @ValueSource(strings = {"focal", "rbf", "reference64"})
    void thePluginsPassThetaCheck(String name) {
        Result r = theta("--plugins", plugins.toString(), "check", name);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("PASS") && !r.out().contains("FAIL"), r.out());
    }

    @Test
    void thetaPluginsListsThemWithTheJarAndVersion() {
        Result r = theta("--plugins", plugins.toString(), "plugins");
        assertEquals(0, r.code(), r.err());
        String jar = plugins.resolve("theta-plugin-example.jar").toString();
        for (String line : List.of("loss        focal", "hypothesis  rbf", "backend     reference64")) {
            String row = r.out().lines().filter(l -> l.startsWith(line)).findFirst().orElse("");
            assertTrue(row.contains(jar) && row.contains("1.0.0"), "no row '" + line + " " + jar + " 1.0.0' in\n" + r.out());
        }
        assertFalse(r.out().contains("BROKEN"), r.out());
    }

    private record Result(int code, String out, String err) {
    }

    /** Runs theta in this JVM, capturing stdout and stderr. */
    private static synchronized Result theta(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
    }

    private static JsonNode lastTestMetrics(Path run) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode last = null;
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.get("split").asText().equals("test")) {
                last = n;
            }
        }
        assertTrue(last != null, "no test metrics in " + run);
        return last;
    }

    /**
     * The plugin project resolves theta-api from the local Maven repository. {@code ./build install} (and CI) put
     * this build's jar there before this module runs; under {@code ./build verify} it may be missing or older than
     * this build's, so install the parent pom and the jar the reactor just built.
     */
    private static void ensureThetaApiInstalled() throws IOException, InterruptedException {
        Path built = ROOT.resolve("api/target/" + API + ".jar");
        assertTrue(Files.isRegularFile(built), "theta-api is not built: " + built);
        Path repo = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
        Path installed = repo.resolve("dev/theta/theta-api/0.1.0-SNAPSHOT/" + API + ".jar");
        FileTime builtAt = Files.getLastModifiedTime(built);
        if (Files.isRegularFile(installed) && Files.getLastModifiedTime(installed).compareTo(builtAt) >= 0
                && Files.size(installed) == Files.size(built)) {
            return;
        }
        maven("-q", "-B", "-N", "-f", ROOT.resolve("pom.xml").toString(), "install");
        maven("-q", "-B", "-N", "-f", ROOT.resolve("api/pom.xml").toString(), "install:install-file",
                "-Dfile=" + built, "-DpomFile=" + ROOT.resolve("api/pom.xml"));
    }

    /** Runs the Maven wrapper with this JVM's Java. */
    private static void maven(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("mvnw").toString()));
        command.addAll(List.of(args));
        if (System.getProperty("maven.repo.local") != null) {
            command.add("-Dmaven.repo.local=" + System.getProperty("maven.repo.local"));
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "maven did not finish: " + command);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + log);
    }
}
