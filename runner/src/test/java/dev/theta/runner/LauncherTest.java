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

    /**
     * Spark's jars only when asked: a config, a --set or a run directory naming engine spark needs
     * distributed/spark/target/lib (a one-line error and exit 2 without it) and gets the JVM flags written there.
     */
    @Test
    void sparkIsAddedOnlyWhenAskedAndItsMissingJarsAreOneLine() throws IOException, InterruptedException {
        Path launcher = launcher();
        Path config = Files.writeString(root.resolve("run.yaml"), """
                data: {train: {name: csv, path: none.csv}, test-fraction: 0.25}
                hypothesis: {name: linear}
                loss: {name: cross-entropy}
                optimizer: {name: sgd}
                distributed: {engine: spark, master: "local[2]"}
                """);
        Path runDir = Files.createDirectories(root.resolve("runs/x"));
        Files.writeString(runDir.resolve("config.yaml"), "name: \"x\"\ndistributed:\n  engine: \"spark\"\n");
        String missing = "theta: distributed.engine spark needs Spark's jars in distributed/spark/target/lib; build them with:"
                + " ./build -q package -DskipTests -pl distributed/spark -am\n";
        for (String[] args : List.of(new String[] {"train", config.toString()}, new String[] {"train", "--resume", runDir.toString()},
                new String[] {"train", root.resolve("nothere.yaml").toString(), "--set", "distributed.engine=spark"})) {
            Ran r = run(launcher, args);
            assertEquals(2, r.code(), r.err());
            assertEquals(missing, r.err(), String.join(" ", args));
        }
        // Not asked: theta itself runs (and finds no such config).
        Ran local = run(launcher, "train", root.resolve("nothere.yaml").toString());
        assertEquals("theta: error: " + root.resolve("nothere.yaml") + ": no such config file\n", local.err());

        Path lib = Files.createDirectories(root.resolve("distributed/spark/target/lib"));
        try (OutputStream jar = new JarOutputStream(Files.newOutputStream(lib.resolve("theta-spark-0.jar")))) {
            jar.flush();
        }
        // -showversion: visible proof that the flags of spark-jvm.flags reach the JVM.
        // Spark's own list opens a package JDK 24+ lacks, for which the JVM would print a warning as it boots.
        Files.writeString(lib.resolve("spark-jvm.flags"), "-XX:+IgnoreUnrecognizedVMOptions\n  -showversion\n"
                + "--add-opens=java.base/sun.security.action=ALL-UNNAMED\n");
        Ran asked = run(launcher, "train", config.toString());
        assertTrue(asked.err().contains("version \""), asked.err());
        if (Runtime.version().feature() >= 24) {
            assertTrue(!asked.err().contains("sun.security.action"), "no warning for a package this JDK lacks: " + asked.err());
        }
        // This jar holds no engine: theta says where theta-spark comes from, naming the option.
        assertTrue(asked.err().contains("distributed.engine = 'spark': unknown engine; theta-spark is not on the classpath"), asked.err());
        assertEquals(2, asked.code(), asked.err());
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
