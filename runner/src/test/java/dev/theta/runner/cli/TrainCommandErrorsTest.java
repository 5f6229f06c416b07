package dev.theta.runner.cli;

import dev.theta.core.ExitCode;
import dev.theta.runner.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad input gives one clear message, its own exit code, no stack trace, and touches no run. */
class TrainCommandErrorsTest {
    @TempDir
    Path dir;

    record Result(int code, String err) {
    }

    private Result theta(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String err = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(err.contains("\tat "), "no stack trace without --debug:\n" + err);
        return new Result(code, err);
    }

    private Path csv(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private Path config(String body) throws IOException {
        Path p = dir.resolve("run.yaml");
        Files.writeString(p, body);
        return p;
    }

    private static final String GOOD_CSV = "1.0,2.0,0\n2.0,1.0,1\n0.5,0.5,0\n3.0,1.0,2\n1.5,2.5,1\n2.5,0.5,2\n";

    private String csvConfig(String trainFile, String testFile, String extra) {
        return "name: t\n"
                + "data:\n"
                + "  train: {name: csv, path: " + trainFile + ", header: none}\n"
                + "  test: {name: csv, path: " + testFile + ", header: none}\n"
                + "hypothesis: {name: linear}\n"
                + "loss: {name: cross-entropy}\n"
                + "optimizer: {name: sgd, lr: 0.1}\n"
                + "train: {epochs: 1, batch-size: 2}\n"
                + extra;
    }

    @Test
    void trainsAGoodConfig() throws IOException {
        csv("train.csv", GOOD_CSV);
        csv("test.csv", GOOD_CSV);
        Path out = dir.resolve("out");
        Result r = theta("train", config(csvConfig("train.csv", "test.csv", "")).toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("metrics.jsonl")));
        assertTrue(Files.exists(out.resolve("config.yaml")));
        assertTrue(Files.exists(out.resolve("parameters.npz")));
    }

    @Test
    void missingDataFile() throws IOException {
        csv("test.csv", GOOD_CSV);
        Result r = theta("train", config(csvConfig("nope.csv", "test.csv", "")).toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.DATA.code(), r.code());
        assertTrue(r.err().contains("nope.csv"), r.err());
        assertFalse(Files.exists(dir.resolve("o")), "no run directory for a failed start");
    }

    @Test
    void textInNumericColumnNamesFileAndLine() throws IOException {
        csv("train.csv", GOOD_CSV + "1.0,abc,1\n");
        csv("test.csv", GOOD_CSV);
        Result r = theta("train", config(csvConfig("train.csv", "test.csv", "")).toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.DATA.code(), r.code());
        assertTrue(r.err().contains("train.csv:7"), r.err());
        assertTrue(r.err().contains("abc"), r.err());
    }

    @Test
    void rowWithOtherColumnCount() throws IOException {
        csv("train.csv", GOOD_CSV + "1.0,2.0,3.0,1\n");
        csv("test.csv", GOOD_CSV);
        Result r = theta("train", config(csvConfig("train.csv", "test.csv", "")).toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.DATA.code(), r.code());
        assertTrue(r.err().contains("train.csv:7"), r.err());
    }

    @Test
    void testLabelOutsideTrainingClasses() throws IOException {
        csv("train.csv", GOOD_CSV);
        csv("test.csv", "1.0,2.0,0\n2.0,1.0,7\n");
        Result r = theta("train", config(csvConfig("train.csv", "test.csv", "")).toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.DATA.code(), r.code());
        assertTrue(r.err().contains("label 7"), r.err());
        assertTrue(r.err().contains("test.csv"), r.err());
    }

    @Test
    void unknownPluginListsKnownOnesAndSuggestsNearest() throws IOException {
        csv("train.csv", GOOD_CSV);
        csv("test.csv", GOOD_CSV);
        String body = csvConfig("train.csv", "test.csv", "").replace("cross-entropy", "cross-entropi");
        Result r = theta("train", config(body).toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.PLUGIN.code(), r.code());
        assertTrue(r.err().contains("unknown loss 'cross-entropi'"), r.err());
        assertTrue(r.err().contains("did you mean 'cross-entropy'"), r.err());
        assertTrue(r.err().contains("zero-one"), r.err());
    }

    @Test
    void unknownConfigKeyNamesFileAndLine() throws IOException {
        csv("train.csv", GOOD_CSV);
        csv("test.csv", GOOD_CSV);
        Path c = config(csvConfig("train.csv", "test.csv", "epochz: 3\n"));
        Result r = theta("train", c.toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.CONFIG.code(), r.code());
        assertTrue(r.err().contains("run.yaml:9"), r.err());
        assertTrue(r.err().contains("epochz"), r.err());
    }

    @Test
    void unknownPluginOptionSuggestsNearest() throws IOException {
        csv("train.csv", GOOD_CSV);
        csv("test.csv", GOOD_CSV);
        String body = csvConfig("train.csv", "test.csv", "").replace("lr: 0.1", "lr: 0.1, momentun: 0.9");
        Result r = theta("train", config(body).toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.CONFIG.code(), r.code());
        assertTrue(r.err().contains("run.yaml:7"), r.err());
        assertTrue(r.err().contains("did you mean 'momentum'"), r.err());
    }

    @Test
    void wrongValueTypeAndRange() throws IOException {
        csv("train.csv", GOOD_CSV);
        csv("test.csv", GOOD_CSV);
        String body = csvConfig("train.csv", "test.csv", "").replace("lr: 0.1", "lr: fast");
        Result r = theta("train", config(body).toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.CONFIG.code(), r.code());
        assertTrue(r.err().contains("optimizer.lr = 'fast': expected a number"), r.err());

        Result range = theta("train", config(csvConfig("train.csv", "test.csv", "")).toString(),
                "--set", "optimizer.momentum=-1", "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.CONFIG.code(), range.code());
        assertTrue(range.err().contains("--set optimizer.momentum: optimizer.momentum = -1: must be in [0, inf)"), range.err());
    }

    @Test
    void trainingOnTheZeroOneLossIsRefused() throws IOException {
        csv("train.csv", GOOD_CSV);
        csv("test.csv", GOOD_CSV);
        String body = csvConfig("train.csv", "test.csv", "").replace("cross-entropy", "zero-one");
        Result r = theta("train", config(body).toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.CONFIG.code(), r.code());
        assertTrue(r.err().contains("run.yaml:6"), r.err());
        assertTrue(r.err().contains("cross-entropy"), r.err());
        assertFalse(Files.exists(dir.resolve("o")));
    }

    @Test
    void existingRunDirectoryIsNeverOverwritten() throws IOException {
        csv("train.csv", GOOD_CSV);
        csv("test.csv", GOOD_CSV);
        Path out = dir.resolve("earlier");
        String good = config(csvConfig("train.csv", "test.csv", "")).toString();
        assertEquals(0, theta("train", good, "--out", out.toString()).code());
        String earlier = Files.readString(out.resolve("metrics.jsonl"));
        Result r = theta("train", good, "--out", out.toString());
        assertEquals(ExitCode.CONFIG.code(), r.code());
        assertTrue(r.err().contains("already exists"), r.err());
        assertEquals(earlier, Files.readString(out.resolve("metrics.jsonl")));

        Result bad = theta("train", config(csvConfig("missing.csv", "test.csv", "")).toString(), "--out", out.toString(), "--overwrite");
        assertEquals(ExitCode.DATA.code(), bad.code());
        assertEquals(earlier, Files.readString(out.resolve("metrics.jsonl")), "a failed start leaves the old run alone");
    }

    @Test
    void idxFaults() throws IOException {
        Path images = dir.resolve("images.idx");
        Path labels = dir.resolve("labels.idx");
        String cfg = "name: t\ndata:\n  train: {name: idx, images: images.idx, labels: labels.idx}\n  test-fraction: 0.5\n"
                + "hypothesis: {name: linear}\nloss: {name: cross-entropy}\noptimizer: {name: sgd, lr: 0.1}\n";
        Path c = config(cfg);

        Files.write(images, idx(0x803, new int[] {4, 2, 2}, 16));
        Files.write(labels, idx(0x801, new int[] {3}, 3));
        Result counts = theta("train", c.toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.DATA.code(), counts.code());
        assertTrue(counts.err().contains("holds 3 labels but") && counts.err().contains("holds 4"), counts.err());

        Files.write(images, idx(0x803, new int[] {4, 2, 2}, 10));
        Result truncated = theta("train", c.toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.DATA.code(), truncated.code());
        assertTrue(truncated.err().contains("images.idx"), truncated.err());

        Files.write(images, idx(0x802, new int[] {4, 2, 2}, 16));
        Result magic = theta("train", c.toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.DATA.code(), magic.code());
        assertTrue(magic.err().contains("0x00000803"), magic.err());
    }

    /** An IDX file with the given magic and dims, followed by {@code dataBytes} bytes. */
    private static byte[] idx(int magic, int[] dims, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + dataBytes);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        for (int i = 0; i < dataBytes; i++) {
            b.put((byte) (i % 3));
        }
        return b.array();
    }

    @Test
    void badYamlAndMissingConfig() throws IOException {
        Result missing = theta("train", dir.resolve("none.yaml").toString());
        assertEquals(ExitCode.CONFIG.code(), missing.code());
        assertTrue(missing.err().contains("none.yaml"), missing.err());

        Result yaml = theta("train", config("name: [unclosed\n").toString());
        assertEquals(ExitCode.CONFIG.code(), yaml.code());
        assertTrue(yaml.err().contains("run.yaml"), yaml.err());
    }
}
