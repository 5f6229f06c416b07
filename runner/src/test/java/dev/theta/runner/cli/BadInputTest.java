package dev.theta.runner.cli;

import dev.theta.runner.testing.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inputs a probe of the CLI found reaching an internal error: each is one line with its exit code, and nothing is lost. */
class BadInputTest {
    @TempDir
    Path dir;

    private static Runs.Result theta(String... args) {
        Runs.Result r = Runs.theta(args);
        assertFalse(r.err().contains("\tat ") || r.err().contains("\0"), "one line, no stack trace, no raw NUL:\n" + r.err());
        return r;
    }

    /** The synthetic one-epoch config with {@code from} replaced by {@code to}. */
    private Path config(String from, String to) throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\n");
        Files.writeString(config, Files.readString(config).replace(from, to));
        return config;
    }

    @Test
    void aNulInADataPathIsNamed() throws IOException {
        Path config = Runs.config(dir, 90, "");
        Runs.Result r = theta("train", config.toString(), "--set", "data.train.path=\"da\\0ta.csv\"", "--out", dir.resolve("o").toString());
        assertEquals(3, r.code(), r.err());
        assertEquals("theta: error: " + dir + ": data path 'da\\0ta.csv' holds a NUL character (\\0), which no file name can;"
                + " check the path in the config\n", r.err());
        assertFalse(Files.exists(dir.resolve("o")), "no run directory for a run that cannot start");
    }

    @Test
    void anAliasInTheConfigIsItsAnchorsValue() throws IOException {
        Path config = config("lr: 0.05, momentum: 0.9", "lr: &rate 0.05, momentum: *rate");
        Runs.Result r = theta("train", config.toString(), "--out", dir.resolve("o").toString());
        assertEquals(0, r.code(), r.err());
        String kept = Files.readString(dir.resolve("o/config.yaml"));
        assertTrue(kept.contains("momentum: 0.05"), kept);
    }

    @Test
    void aModelNoArrayHoldsIsOutOfMemoryWithItsSize() throws IOException {
        Path config = config("hypothesis: {name: linear}", "hypothesis: {name: mlp, hidden: [100000, 100000]}");
        Runs.Result r = theta("train", config.toString(), "--out", dir.resolve("o").toString());
        assertEquals(6, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("theta: error: out of memory (a tensor of shape [100000, 100000] would hold 10000000000 elements"
                + " (37.3 GB as float32)"), r.err());
        assertTrue(r.err().contains("no heap size helps"), r.err());
    }

    /** theta's output when training {@code config} in a child JVM with {@code heap} (-Xmx...), after checking its exit code. */
    private String trainInAHeapOf(String heap, Path config, int expectedCode) throws IOException, InterruptedException {
        Path log = dir.resolve("log.txt");
        Process p = Runs.child(log, java.util.List.of(heap), "train", config.toString(), "--out", dir.resolve("o").toString());
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("theta hung with " + heap + ":\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertEquals(expectedCode, p.exitValue(), out);
        assertFalse(out.contains("\tat "), out);
        assertEquals(1, out.lines().filter(l -> l.startsWith("theta:")).count(), out);
        return out.lines().filter(l -> l.startsWith("theta:")).findFirst().orElseThrow();
    }

    @Test
    void aSmallHeapIsOutOfMemorySayingHowToGiveMore() throws IOException, InterruptedException {
        // 1 million floats of one matrix, 8 MB with its gradient: under the 16 MB heap's estimate, over what it holds.
        Path config = config("hypothesis: {name: linear}", "hypothesis: {name: mlp, hidden: [1000, 1000]}");
        String line = trainInAHeapOf("-Xmx16m", config, 6);
        assertTrue(line.startsWith("theta: error: out of memory") && !line.contains("parameters need"), "the JVM's own out-of-memory: " + line);
        assertTrue(line.contains("this JVM may use at most ") && line.contains("JDK_JAVA_OPTIONS=-Xmx"), line);
    }

    @Test
    void aModelTooLargeForTheHeapIsRefusedBeforeItsParametersAreAllocated() throws IOException, InterruptedException {
        // 16 million floats of one matrix, 128 MB with its gradient, against a 64 MB heap.
        Path config = config("hypothesis: {name: linear}", "hypothesis: {name: mlp, hidden: [4000, 4000]}");
        String line = trainInAHeapOf("-Xmx64m", config, 6);
        assertTrue(line.startsWith("theta: error: out of memory (the model's parameters need at least "), line);
        assertTrue(line.contains("by parameter 'W2' [4000, 4000]") && line.contains("JDK_JAVA_OPTIONS=-Xmx"), line);
        assertFalse(Files.exists(dir.resolve("o/checkpoints")), "nothing trained");
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aRunNameOfAHundredThousandCharactersIsReportedQuickly() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 2}\n");
        String name = "n".repeat(100_000);
        Files.writeString(config, Files.readString(config).replace("name: synthetic", "name: " + name));
        Runs.Result r = theta("train", config.toString(), "--out", dir.resolve("o").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(dir.resolve("o/report.html")) > 0);
        // Without --out the name is a directory name, longer than a file system allows.
        Runs.Result unnamed = theta("train", config.toString());
        assertEquals(2, unnamed.code(), unnamed.err());
        assertEquals(1, unnamed.err().lines().count(), unnamed.err());
    }

    @Test
    void aFullDiskWhileWritingTheEventLogIsOneLineAndTheRunResumes() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\n");
        Path run = dir.resolve("o");
        assertEquals(0, theta("train", config.toString(), "--out", run.toString()).code());
        // As if the run had been stopped after its first epoch of three.
        Path kept = run.resolve("config.yaml");
        Files.writeString(kept, Files.readString(kept).replace("epochs: 1\n", "epochs: 3\n"));
        Path events = run.resolve("events.jsonl");
        byte[] written = Files.readAllBytes(events);
        // /dev/full answers every write with ENOSPC, as a full disk does.
        Files.delete(events);
        Files.createSymbolicLink(events, Path.of("/dev/full"));
        Runs.Result full = theta("train", "--resume", run.toString());
        assertEquals(2, full.code(), full.err());
        assertEquals("theta: error: cannot write " + events + ": No space left on device; the run keeps its last checkpoint:"
                + " make room, then continue with theta train --resume " + run + "\n", full.err());
        Files.delete(events);
        Files.write(events, written);
        Runs.Result resumed = theta("train", "--resume", run.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(3, Runs.metricsWithoutTimings(run).stream().filter(l -> l.contains("\"split\":\"train\"")).count());
    }
}
