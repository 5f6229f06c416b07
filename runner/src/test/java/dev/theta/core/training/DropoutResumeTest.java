package dev.theta.core.training;

import dev.theta.core.run.Checkpoint;
import dev.theta.core.run.CheckpointStore;
import dev.theta.core.run.RunDirectory;
import dev.theta.runner.testing.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@link ResumeAfterKillTest}'s bar with dropout: a model with two dropout layers killed with SIGKILL in epoch 2 and
 * resumed ends bit for bit where the uninterrupted run ends. No random state is checkpointed: the masks are a
 * function of the seed and the step number.
 */
class DropoutResumeTest {
    private static final String TRAIN = "backend: {name: stall-cpu}\ntrain: {epochs: 3, batch-size: 16, checkpoint-every: 10}\n";

    private static String cnn(double p) {
        return "{name: cnn, image: [1, 2, 3], layers: [flatten, {dense: 16}, relu, {dropout: " + p + "}, {dense: 16},"
                + " relu, {dropout: " + p + "}]}";
    }

    @TempDir
    Path dir;

    @Test
    void sigkillThenResumeMatchesAnUninterruptedRunWithDropout() throws Exception {
        Path plain = dir.resolve("plain");
        Files.createDirectories(plain);
        assertEquals(0, Runs.theta("train", Runs.config(plain, 600, cnn(0), TRAIN).toString(), "--out",
                plain.resolve("run").toString()).code());

        Path config = Runs.config(dir, 600, cnn(0.5), TRAIN);
        Path reference = dir.resolve("reference");
        Runs.Result first = Runs.theta("train", config.toString(), "--out", reference.toString());
        assertEquals(0, first.code(), first.err());
        assertFalse(Arrays.equals(Files.readAllBytes(plain.resolve("run/parameters.npz")),
                Files.readAllBytes(reference.resolve("parameters.npz"))), "dropout changes the run");

        Path killed = dir.resolve("killed");
        Runs.killAtStep(dir, config, killed, 45);
        Checkpoint latest = new CheckpointStore(new RunDirectory(killed, false)).latest().orElseThrow();
        assertEquals(40, latest.step());

        Runs.Result resumed = Runs.theta("train", "--resume", killed.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertArrayEquals(Files.readAllBytes(reference.resolve("parameters.npz")), Files.readAllBytes(killed.resolve("parameters.npz")),
                "same final parameters");
        assertEquals(Runs.metricsWithoutTimings(reference), Runs.metricsWithoutTimings(killed), "same per-epoch metrics");
    }
}
