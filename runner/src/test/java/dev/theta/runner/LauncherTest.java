package dev.theta.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code theta} launcher script, run on a copy of the repository whose runner jar is a manifest naming the
 * test classpath (so the script neither builds nor finds anything newer): the JVM's incubator warning is gone, and
 * theta's own standard error is the caller's, complete when the process exits.
 */
class LauncherTest {
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path root;

    private Path launcher() throws IOException {
        Files.copy(REPOSITORY.resolve("theta"), root.resolve("theta"));
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(REPOSITORY.resolve("scripts/jdk.sh"), root.resolve("scripts/jdk.sh"));
        for (String module : List.of("api", "losses", "hypotheses", "optimizers", "datasets", "backends", "core")) {
            Files.createDirectories(root.resolve(module));
        }
        Path target = Files.createDirectories(root.resolve("runner/target"));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toUri().toString()).collect(Collectors.joining(" ")));
        try (OutputStream jar = new JarOutputStream(Files.newOutputStream(target.resolve("theta-runner.jar")), manifest)) {
            jar.flush();
        }
        return root.resolve("theta");
    }

    private record Ran(int code, String out, String err) {
    }

    private Ran run(Path launcher, String... args) throws IOException, InterruptedException {
        Path out = root.resolve("out.txt");
        Path err = root.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of("bash", launcher.toString()))).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.command().addAll(List.of(args));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "theta did not exit");
        // Read at once: what theta wrote must be in the file when it exits, not still in a filter.
        return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void noIncubatorWarningAndTheErrorLineIsWrittenBeforeExit() throws IOException, InterruptedException {
        Path launcher = launcher();
        Ran version = run(launcher, "--version");
        assertEquals(0, version.code(), version.err());
        assertEquals("", version.err());
        assertTrue(version.out().startsWith("theta "), version.out());
        Ran missing = run(launcher, "train", root.resolve("nothere.yaml").toString());
        assertEquals(2, missing.code(), missing.err());
        assertEquals("theta: error: " + root.resolve("nothere.yaml") + ": no such config file\n", missing.err());
    }

    @Test
    void thetaWritesToTheDescriptorTheLauncherKept() throws IOException, InterruptedException {
        // Standard error is /dev/null, as if the filter never passed a byte on: the line must come through fd 3.
        Path kept = root.resolve("kept.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("bash", "-c", "exec 3>\"$0\"; exec \"$1\" --enable-native-access=ALL-UNNAMED -cp \"$2\" -D"
                + LauncherStderr.PROPERTY + "=3 dev.theta.runner.Main train nothere.yaml 2>/dev/null",
                kept.toString(), java, System.getProperty("java.class.path")).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "theta did not exit");
        assertEquals(2, p.exitValue());
        assertEquals("theta: error: nothere.yaml: no such config file\n", Files.readString(kept));
    }
}
