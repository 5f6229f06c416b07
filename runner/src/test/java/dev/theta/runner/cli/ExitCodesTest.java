package dev.theta.runner.cli;

import dev.theta.core.ExitCode;
import dev.theta.runner.testing.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every exit code of the README's table, caused for real: usage/config 2, data 3, plugin 4, divergence 5,
 * internal 1. Interrupted (130) is caused by a real SIGINT in {@code ResumeAfterKillTest}.
 */
class ExitCodesTest {
    @TempDir
    Path dir;

    @Test
    void ok() throws IOException {
        Runs.Result r = Runs.theta("train", Runs.config(dir, 90, "train: {epochs: 1}\n").toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCode.OK.code(), r.code(), r.err());
    }

    @Test
    void usageAndConfigErrorsExitWith2() throws IOException {
        assertEquals(2, Runs.theta("train", "--no-such-option").code());
        assertEquals(2, Runs.theta("train").code(), "neither CONFIG nor --resume");
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\n");
        Runs.Result set = Runs.theta("train", config.toString(), "--set", "train.epochs=[1, 2]", "--out", dir.resolve("o").toString());
        assertEquals(2, set.code());
        assertTrue(set.err().contains("--set train.epochs"), set.err());
        assertEquals(2, Runs.theta("sweep", config.toString(), "--out", dir.resolve("s").toString()).code(), "no sweep block");
    }

    @Test
    void dataErrorsExitWith3() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\n");
        Files.delete(dir.resolve("data.csv"));
        assertEquals(3, Runs.theta("train", config.toString(), "--out", dir.resolve("o").toString()).code());
        assertEquals(3, Runs.theta("train", "--resume", dir.resolve("nothing-here").toString()).code());
    }

    @Test
    void pluginErrorsExitWith4() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\n");
        Runs.Result r = Runs.theta("train", config.toString(), "--set", "hypothesis.name=linearr", "--out", dir.resolve("o").toString());
        assertEquals(4, r.code());
        assertTrue(r.err().contains("did you mean 'linear'"), r.err());
    }

    @Test
    void divergenceExitsWith5NamingEpochAndStepAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path config = Runs.config(dir, 300, "train: {epochs: 3, batch-size: 8}\n");
        Path out = dir.resolve("o");
        Runs.Result r = Runs.theta("train", config.toString(), "--set", "optimizer.lr=1e38", "--set", "data.standardize=false", "--out", out.toString());
        assertEquals(ExitCode.DIVERGED.code(), r.code(), r.err());
        assertTrue(r.err().matches("(?s).*training diverged at epoch \\d+, step \\d+ of \\d+.*"), r.err());
        assertTrue(r.err().contains("the last good checkpoint is"), r.err());
        Runs.Result resumed = Runs.theta("train", "--resume", out.toString());
        assertEquals(ExitCode.DIVERGED.code(), resumed.code(), "the kept checkpoint loads and diverges the same way: " + resumed.err());
        assertTrue(Files.readString(out.resolve("events.jsonl")).contains("\"event\":\"diverged\""));
    }

    @Test
    void internalErrorsExitWith1() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\nbackend: {name: broken}\n");
        assertEquals(ExitCode.INTERNAL.code(), Runs.theta("train", config.toString(), "--out", dir.resolve("o").toString()).code());
    }

    @Test
    void anExistingRunDirectoryIsRefusedUnlessOverwriting() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\n");
        Path out = dir.resolve("o");
        assertEquals(0, Runs.theta("train", config.toString(), "--out", out.toString()).code());
        Runs.Result again = Runs.theta("train", config.toString(), "--out", out.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already exists"), again.err());
        assertEquals(0, Runs.theta("train", config.toString(), "--out", out.toString(), "--overwrite").code());
        assertFalse(Files.exists(out.resolve("parameters.npz.tmp")));
    }
}
