package dev.theta.core.training;

import dev.theta.runner.testing.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bar: the same config and seed, run twice on the CPU backend, give byte-identical metrics without timings. */
class DeterminismTest {
    @TempDir
    Path dir;

    @Test
    void sameConfigAndSeedGiveByteIdenticalMetricsAndParameters() throws IOException {
        Path config = Runs.config(dir, 600, "train: {epochs: 3, batch-size: 16}\n");
        assertEquals(0, Runs.theta("train", config.toString(), "--out", dir.resolve("a").toString()).code());
        assertEquals(0, Runs.theta("train", config.toString(), "--out", dir.resolve("b").toString()).code());
        assertEquals(String.join("\n", Runs.metricsWithoutTimings(dir.resolve("a"))),
                String.join("\n", Runs.metricsWithoutTimings(dir.resolve("b"))));
        assertEquals(6, Runs.metricsWithoutTimings(dir.resolve("a")).size());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/parameters.npz")), Files.readAllBytes(dir.resolve("b/parameters.npz")));
    }
}
