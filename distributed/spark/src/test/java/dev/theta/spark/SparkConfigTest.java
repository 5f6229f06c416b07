package dev.theta.spark;

import dev.theta.api.tensor.Tensor;
import dev.theta.core.ExitCode;
import dev.theta.core.run.Checkpoint;
import dev.theta.core.run.CheckpointStore;
import dev.theta.core.run.Npz;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.training.EpochMetrics;
import dev.theta.runner.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code theta train} with {@code distributed.engine: spark}, through the CLI's Main: the same config trains locally
 * and on {@code local[2]}, in a run directory of the same shape; a Spark run killed after epoch 1 and resumed ends
 * with the parameters of an uninterrupted one; bad {@code distributed} options are one-line config errors.
 * Fashion-MNIST softmax regression, 54,000 training images (a tenth is validation), global batch 256, 3 epochs.
 */
class SparkConfigTest {
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final Path WDBC = Path.of("../../examples/data/breast_cancer.csv");
    private static final String[] SPARK = {"--set", "distributed.engine=spark", "--set", "distributed.master=local[2]",
            "--set", "distributed.partitions=2"};

    @TempDir
    static Path dir;
    private static Path config;
    private static Path local;
    private static Path spark;
    private static double localSeconds;
    private static double sparkSeconds;

    @BeforeAll
    static void trainLocallyAndOnSpark() throws IOException {
        config = dir.resolve("fashion.yaml");
        Files.writeString(config, """
                name: fashion-spark
                seed: 0
                data:
                  train: {name: idx, images: %1$s/train-images-idx3-ubyte.gz, labels: %1$s/train-labels-idx1-ubyte.gz}
                  test: {name: idx, images: %1$s/t10k-images-idx3-ubyte.gz, labels: %1$s/t10k-labels-idx1-ubyte.gz}
                  validation-fraction: 0.1
                hypothesis: {name: linear}
                loss: {name: cross-entropy}
                optimizer: {name: sgd, lr: 0.1}
                train: {epochs: 3, batch-size: 256}
                export: none
                """.formatted(FASHION));
        local = dir.resolve("local");
        spark = dir.resolve("spark");
        long start = System.nanoTime();
        assertEquals(0, theta(args("train", config.toString(), "--out", local.toString())).code());
        localSeconds = (System.nanoTime() - start) / 1e9;
        start = System.nanoTime();
        Result r = theta(args("train", config.toString(), "--out", spark.toString(), SPARK));
        sparkSeconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, r.code(), r.err());
    }

    /** Bar: test accuracy within 0.2 points of the local run's; parameters within 1e-5 relative. */
    @Test
    void sparkRunMatchesTheLocalRun() throws IOException {
        double localAccuracy = testAccuracy(local, 3);
        double sparkAccuracy = testAccuracy(spark, 3);
        double worst = worstRelative(Npz.read(local.resolve("parameters.npz")), Npz.read(spark.resolve("parameters.npz")));
        System.out.printf("fashion-mnist softmax, 3 epochs, batch 256: test accuracy local %.4f (%.1f s), spark local[2] %.4f"
                + " (%.1f s); max relative parameter difference %.3g%n", localAccuracy, localSeconds, sparkAccuracy, sparkSeconds, worst);
        assertTrue(Math.abs(localAccuracy - sparkAccuracy) <= 0.002, localAccuracy + " vs " + sparkAccuracy);
        assertTrue(worst <= 1e-5, "relative parameter difference " + worst);
        // The rest of the run is the local trainer's: the same files, validation and test evaluated every epoch.
        for (String file : List.of("config.yaml", "metrics.jsonl", "metrics.csv", "events.jsonl", "parameters.npz", "report.html")) {
            assertTrue(Files.isRegularFile(spark.resolve(file)), file);
        }
        assertEquals(9, RunDirectory.history(spark).size(), "train, validation and test for each of 3 epochs");
        String resolved = Files.readString(spark.resolve("config.yaml"));
        assertTrue(resolved.contains("distributed:") && resolved.matches("(?s).*engine: \"?spark\"?\n.*"), resolved);
    }

    /**
     * A Spark run killed (SIGKILL) after its epoch-1 checkpoint, then resumed with {@code --resume}, ends with the
     * parameters and metrics of the uninterrupted Spark run, bit for bit: the checkpoint holds the driver's state
     * (parameters and Adam's moments) and every sum is taken in a fixed order. And within 1e-5 of the local run.
     * WDBC, standardised, Adam, batch 16: 22 steps an epoch, the engine named in the config file itself.
     */
    @Test
    void sparkRunKilledAfterEpochOneResumesToTheUninterruptedParameters() throws Exception {
        Path wdbc = dir.resolve("wdbc.yaml");
        Files.writeString(wdbc, """
                name: wdbc-spark
                seed: 0
                data:
                  train: {name: csv, path: %s}
                  test-fraction: 0.25
                  validation-fraction: 0.15
                  stratify: true
                  standardize: true
                hypothesis: {name: linear}
                loss: {name: cross-entropy}
                optimizer: {name: adam, lr: 0.01}
                train: {epochs: 3, batch-size: 16}
                distributed: {engine: spark, master: "local[2]", partitions: 2}
                """.formatted(WDBC.toAbsolutePath()));
        Path localRun = dir.resolve("wdbc-local");
        Result localResult = theta(new String[] {"train", wdbc.toString(), "--out", localRun.toString(), "--set", "distributed={engine: local}"});
        assertEquals(0, localResult.code(), localResult.err());
        Path uninterrupted = dir.resolve("uninterrupted");
        Result reference = theta(new String[] {"train", wdbc.toString(), "--out", uninterrupted.toString()});
        assertEquals(0, reference.code(), reference.err());
        Path killed = dir.resolve("killed");
        Path log = dir.resolve("child.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector"));
        command.addAll(Arrays.asList(System.getProperty("theta.spark.jvm.flags").trim().split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of("train", wdbc.toString(), "--out", killed.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process child = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!afterEpochOne(killed)) {
                assertTrue(child.isAlive(), () -> "the child ended early: " + read(log));
                assertTrue(System.nanoTime() < deadline, () -> "no epoch-1 checkpoint in 180 s: " + read(log));
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly();
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        Checkpoint latest = new CheckpointStore(new RunDirectory(killed, false)).latest().orElseThrow();
        assertEquals(2, latest.epoch(), "the newest checkpoint is the end of epoch 1");
        assertEquals(0, latest.stepInEpoch());
        assertTrue(!Files.exists(killed.resolve("parameters.npz")));

        Result resumed = theta(new String[] {"train", "--resume", killed.toString()});
        assertEquals(0, resumed.code(), resumed.err());
        Map<String, Tensor> expected = Npz.read(uninterrupted.resolve("parameters.npz"));
        Map<String, Tensor> actual = Npz.read(killed.resolve("parameters.npz"));
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, value) -> assertArrayEquals(value.floats(), actual.get(name).floats(), name));
        assertEquals(metrics(uninterrupted), metrics(killed));
        double worst = worstRelative(Npz.read(localRun.resolve("parameters.npz")), actual);
        System.out.printf("wdbc, adam, 3 epochs: spark run killed after epoch 1 and resumed equals the uninterrupted one bit for bit;"
                + " max relative difference to the local run %.3g%n", worst);
        assertTrue(worst <= 1e-5, "relative difference to the local run " + worst);
    }

    /** Bad options of the distributed section: a one-line config error naming the option, before any data is read. */
    @Test
    void badDistributedOptionsAreOneLineConfigErrors() {
        String[][] cases = {
                {"distributed.engine=flink", "distributed.engine = 'flink': unknown engine; known engines: local, spark"},
                {"distributed.engine=spark", "distributed.partitions=0", "distributed.partitions = 0: must be in [1, inf)"},
                {"distributed.engine=spark", "distributed.master=yarn", "distributed.master = 'yarn': expected local[N], local[*] or spark://HOST:PORT"},
                {"distributed.engine=spark", "distributed.master=spark://", "distributed.master = 'spark://': expected"},
                {"distributed.engine=spark", "distributed.cores=3", "distributed.cores"},
                {"distributed.partitions=2", "distributed.partitions: the local engine takes no options"},
        };
        for (String[] c : cases) {
            List<String> a = new ArrayList<>(List.of("train", config.toString(), "--out", dir.resolve("bad").toString()));
            for (int i = 0; i < c.length - 1; i++) {
                a.addAll(List.of("--set", c[i]));
            }
            Result r = theta(a.toArray(String[]::new));
            String expected = c[c.length - 1];
            assertEquals(ExitCode.CONFIG.code(), r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        }
        assertTrue(!Files.exists(dir.resolve("bad")), "no run directory for a bad config");
    }

    private static boolean afterEpochOne(Path run) throws IOException {
        Path folder = run.resolve(CheckpointStore.FOLDER);
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.list(folder)) {
            // step 0 is the checkpoint of a new run; with checkpoint-every 0 the next one ends epoch 1.
            return files.map(f -> f.getFileName().toString()).anyMatch(n -> n.matches("step-\\d+\\.npz") && !n.equals("step-000000000.npz"));
        }
    }

    private static double testAccuracy(Path run, int epoch) throws IOException {
        return RunDirectory.history(run).stream().filter(m -> m.epoch() == epoch && m.split().equals("test"))
                .mapToDouble(EpochMetrics::accuracy).findFirst().orElseThrow();
    }

    /** Loss and accuracy of every epoch and split (the seconds differ). */
    private static List<String> metrics(Path run) throws IOException {
        return RunDirectory.history(run).stream().map(m -> m.epoch() + " " + m.split() + " " + m.loss() + " " + m.accuracy()).toList();
    }

    private static double worstRelative(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        double worst = 0;
        for (Map.Entry<String, Tensor> p : expected.entrySet()) {
            worst = Math.max(worst, SyncSgdTest.relative(p.getValue().floats(), actual.get(p.getKey()).floats()));
        }
        return worst;
    }

    private static String[] args(String command, String configFile, String out, String outDir, String... more) {
        List<String> a = new ArrayList<>(List.of(command, configFile, out, outDir));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private record Result(int code, String err) {
    }

    private static Result theta(String[] args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, err.toString(StandardCharsets.UTF_8));
    }
}
