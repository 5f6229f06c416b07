package dev.theta.core.training;

import dev.theta.api.tensor.Tensor;
import dev.theta.core.run.Checkpoint;
import dev.theta.core.run.CheckpointStore;
import dev.theta.core.run.Npz;
import dev.theta.core.run.RunDirectory;
import dev.theta.runner.testing.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A convolutional network killed with SIGKILL in the middle of epoch 2 and resumed ends with the same parameters and
 * metrics as an uninterrupted run: convolution, pooling and momentum all survive the checkpoint exactly, and so do
 * batch normalization's running statistics (in the checkpoint and in parameters.npz).
 */
class CnnResumeAfterKillTest {
    // The 6 features of each row read as a 1 × 2 × 3 image; 450 training examples, batch 16: 29 steps per epoch.
    private static final String CNN = "{name: cnn, image: [1, 2, 3], layers: [{conv: 4, kernel: 2, pad: 1}, relu,"
            + " {maxpool: 2}, flatten, {dense: 8}, relu]}";
    private static final String BATCHNORM = "{name: cnn, image: [1, 2, 3], layers: [{conv: 4, kernel: 2, pad: 1, bias: false},"
            + " batchnorm, relu, {maxpool: 2}, flatten, {dense: 8}, {batchnorm: {momentum: 0.05}}, relu]}";
    private static final String TRAIN = "backend: {name: stall-cpu}\ntrain: {epochs: 3, batch-size: 16, checkpoint-every: 10}\n";

    @TempDir
    Path dir;

    @Test
    void sigkillInEpochTwoThenResumeMatchesAnUninterruptedRun() throws Exception {
        killResumeAndCompare(CNN);
    }

    @Test
    void withBatchNormalizationTheRunningStatisticsResumeToo() throws Exception {
        Checkpoint latest = killResumeAndCompare(BATCHNORM);
        assertTrue(latest.carried().containsKey("param/bn2.running_mean"), "checkpointed: " + latest.carried().keySet());
        Map<String, Tensor> saved = Npz.read(dir.resolve("reference/parameters.npz"));
        assertTrue(saved.keySet().containsAll(List.of("bn2.weight", "bn2.bias", "bn2.running_mean", "bn2.running_var",
                "bn4.running_mean", "bn4.running_var")), "saved: " + saved.keySet());
        float[] var = saved.get("bn4.running_var").floats();
        assertTrue(var[0] != 1f && var[0] > 0, "the running variance moved from 1: " + var[0]);
    }

    /** Trains {@code hypothesis} uninterrupted and killed at step 45 then resumed; returns the killed run's checkpoint. */
    private Checkpoint killResumeAndCompare(String hypothesis) throws IOException, InterruptedException {
        Path config = Runs.config(dir, 600, hypothesis, TRAIN);
        Path reference = dir.resolve("reference");
        Runs.Result first = Runs.theta("train", config.toString(), "--out", reference.toString());
        assertEquals(0, first.code(), first.err());

        Path killed = dir.resolve("killed");
        assertEquals(137, Runs.killAtStep(dir, config, killed, 45), "killed by SIGKILL");
        Checkpoint latest = new CheckpointStore(new RunDirectory(killed, false)).latest().orElseThrow();
        assertEquals(40, latest.step(), "the newest checkpoint is mid-epoch 2");

        Runs.Result resumed = Runs.theta("train", "--resume", killed.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertArrayEquals(Files.readAllBytes(reference.resolve("parameters.npz")), Files.readAllBytes(killed.resolve("parameters.npz")),
                "same final parameters (and running statistics)");
        assertEquals(Runs.metricsWithoutTimings(reference), Runs.metricsWithoutTimings(killed), "same per-epoch metrics");
        return latest;
    }
}
