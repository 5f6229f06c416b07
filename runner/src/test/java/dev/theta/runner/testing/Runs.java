package dev.theta.runner.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.theta.runner.Main;
import dev.theta.core.metrics.MetricsLines;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Test helpers: a small synthetic data set and config, theta in this JVM or in a child JVM, metrics without timings. */
public final class Runs {
    private Runs() {
    }

    public record Result(int code, String err) {
    }

    /** Runs theta in this JVM. */
    public static Result theta(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Result(code, bytes.toString(StandardCharsets.UTF_8));
    }

    /**
     * Starts theta's Main in a child JVM with the test classpath, extra system properties first. The child starts
     * with SIGINT at its default action ({@code env --default-signal=INT}, which execs the JVM under the same pid):
     * a build launched in the background by a non-interactive shell inherits SIGINT ignored, and a JVM that starts
     * with SIGINT ignored keeps it ignored, so theta's handler would never run.
     */
    public static Process child(Path log, List<String> properties, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(properties);
        cmd.add("dev.theta.runner.Main");
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Writes {@code data.csv} (rows of 6 features and a label of 3 Gaussian classes, fixed seed) and {@code run.yaml}
     * training a linear softmax model on it with momentum SGD, plus {@code extra} config lines.
     */
    public static Path config(Path dir, int rows, String extra) throws IOException {
        return config(dir, rows, "{name: linear}", extra);
    }

    /** As {@link #config(Path, int, String)} with the given {@code hypothesis} (a YAML flow map). */
    public static Path config(Path dir, int rows, String hypothesis, String extra) throws IOException {
        Random r = new Random(42);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            int label = i % 3;
            for (int f = 0; f < 6; f++) {
                csv.append(String.format(Locale.ROOT, "%.4f,", r.nextGaussian() + (f % 3 == label ? 1.5 : 0)));
            }
            csv.append(label).append('\n');
        }
        Files.writeString(dir.resolve("data.csv"), csv);
        Path config = dir.resolve("run.yaml");
        Files.writeString(config, "name: synthetic\nseed: 7\n"
                + "data:\n  train: {name: csv, path: data.csv, header: none}\n  test-fraction: 0.25\n  standardize: true\n"
                + "hypothesis: " + hypothesis + "\nloss: {name: cross-entropy}\n"
                + "optimizer: {name: sgd, lr: 0.05, momentum: 0.9}\nexport: none\n" + extra);
        return config;
    }

    /** The lines of a metrics.jsonl with the timing keys removed, as JSON text. */
    public static List<String> metricsWithoutTimings(Path runDir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            ObjectNode node = (ObjectNode) json.readTree(line);
            MetricsLines.TIMING_KEYS.forEach(node::remove);
            out.add(json.writeValueAsString(node));
        }
        return out;
    }

    /**
     * Trains {@code config} into {@code out} in a child JVM on the {@code stall-cpu} backend, which stalls at training
     * step {@code step}, and kills it there with SIGKILL; returns the child's exit status (137).
     */
    public static int killAtStep(Path dir, Path config, Path out, int step) throws IOException, InterruptedException {
        Path marker = dir.resolve("stalled");
        Path log = dir.resolve("child.log");
        Process child = child(log, List.of("-Dtheta.test.stall-at-step=" + step, "-Dtheta.test.stall-marker=" + marker),
                "train", config.toString(), "--out", out.toString());
        await(marker, child, log, 120);
        child.destroyForcibly();
        if (!child.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the killed child did not exit:\n" + Files.readString(log));
        }
        return child.exitValue();
    }

    /** Waits up to {@code seconds} for {@code file} to exist. */
    public static void await(Path file, Process process, Path log, int seconds) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!Files.exists(file)) {
            if (!process.isAlive()) {
                throw new AssertionError("child exited with " + process.exitValue() + " before " + file + ":\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("timed out waiting for " + file + ":\n" + Files.readString(log));
            }
            Thread.sleep(5);
        }
    }
}
