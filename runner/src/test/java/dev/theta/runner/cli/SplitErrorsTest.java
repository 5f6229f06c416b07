package dev.theta.runner.cli;

import dev.theta.runner.testing.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Splits that leave a part empty are one-line errors with their exit code, never an internal error. */
class SplitErrorsTest {
    @TempDir
    Path dir;

    private static void assertOneLine(Runs.Result r, int code, String says) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().contains(says), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("theta: error:")).count(), r.err());
    }

    @Test
    void aTestFractionThatLeavesNoTrainingData() throws Exception {
        Path config = Runs.config(dir, 600, "");
        Runs.Result r = Runs.theta("train", config.toString(), "--out", dir.resolve("out").toString(),
                "--set", "data.test-fraction=0.9999");
        assertOneLine(r, 2, "test fraction 0.9999 of 600 examples leaves none for training");
    }

    @Test
    void aOneRowDataset() throws Exception {
        Path config = Runs.config(dir, 1, "");
        Runs.Result r = Runs.theta("train", config.toString(), "--out", dir.resolve("out").toString());
        assertOneLine(r, 3, "test data is empty");
        assertFalse(Files.exists(dir.resolve("out").resolve("parameters.npz")));
    }
}
