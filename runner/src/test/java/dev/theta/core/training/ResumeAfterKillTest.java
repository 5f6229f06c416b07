package dev.theta.core.training;

import dev.theta.core.ExitCode;
import dev.theta.core.run.Checkpoint;
import dev.theta.core.run.CheckpointStore;
import dev.theta.core.run.RunDirectory;
import dev.theta.runner.testing.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bar: a run killed with SIGKILL in the middle of epoch 2, then resumed, ends with the same parameters and per-epoch
 * metrics as an uninterrupted run. And SIGINT writes a checkpoint and exits with 130, after which resume also
 * reproduces the uninterrupted run. The child JVM runs theta's Main on the {@code stall-cpu} test backend, which
 * stops at an exact training step so the kill lands where the test says.
 */
class ResumeAfterKillTest {
    // 600 rows, a quarter held out: 450 training examples, batch 16: 29 steps per epoch.
    private static final String TRAIN = "backend: {name: stall-cpu}\ntrain: {epochs: 3, batch-size: 16, checkpoint-every: 10}\n";
    private static final int STEPS_PER_EPOCH = 29;

    @TempDir
    Path dir;

    @Test
    void sigkillInEpochTwoThenResumeMatchesAnUninterruptedRun() throws Exception {
        Path config = Runs.config(dir, 600, TRAIN);
        Path reference = dir.resolve("reference");
        assertEquals(0, Runs.theta("train", config.toString(), "--out", reference.toString()).code());

        Path killed = dir.resolve("killed");
        // Step 45 is step 16 of epoch 2; the newest checkpoint then is step 40 (step 11 of epoch 2).
        assertEquals(137, Runs.killAtStep(dir, config, killed, 45), "killed by SIGKILL");

        Checkpoint latest = new CheckpointStore(new RunDirectory(killed, false)).latest().orElseThrow();
        assertEquals(2, latest.epoch());
        assertEquals(40 - STEPS_PER_EPOCH, latest.stepInEpoch());
        assertEquals(2, Files.readAllLines(killed.resolve("metrics.jsonl")).size(), "only epoch 1 had finished");
        assertTrue(!Files.exists(killed.resolve("parameters.npz")));

        Runs.Result resumed = Runs.theta("train", "--resume", killed.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertSameRun(reference, killed);
    }

    @Test
    void sigintWritesACheckpointExitsWith130AndResumes() throws Exception {
        Path config = Runs.config(dir, 600, TRAIN);
        Path reference = dir.resolve("reference");
        assertEquals(0, Runs.theta("train", config.toString(), "--out", reference.toString()).code());

        Path interrupted = dir.resolve("interrupted");
        Path marker = dir.resolve("stalled");
        Path log = dir.resolve("child.log");
        Process child = Runs.child(log, List.of("-Dtheta.test.stall-at-step=37", "-Dtheta.test.stall-marker=" + marker),
                "train", config.toString(), "--out", interrupted.toString());
        Runs.await(marker, child, log, 120);
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
        // The stalled step returns once the handler has seen the signal (StallingBackendProvider).
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertEquals(ExitCode.INTERRUPTED.code(), child.exitValue(), out);
        assertTrue(out.contains("theta: interrupted at epoch 2, step 8") && !out.contains("error: interrupted"), out);
        assertTrue(out.contains("theta train --resume"), out);

        Checkpoint latest = new CheckpointStore(new RunDirectory(interrupted, false)).latest().orElseThrow();
        assertEquals(37, latest.step(), "the checkpoint is taken where the run stopped");
        Runs.Result resumed = Runs.theta("train", "--resume", interrupted.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertSameRun(reference, interrupted);
    }

    private static void assertSameRun(Path reference, Path resumed) throws IOException {
        assertArrayEquals(Files.readAllBytes(reference.resolve("parameters.npz")), Files.readAllBytes(resumed.resolve("parameters.npz")),
                "same final parameters");
        assertEquals(Runs.metricsWithoutTimings(reference), Runs.metricsWithoutTimings(resumed), "same per-epoch metrics");
        assertEquals(6, Runs.metricsWithoutTimings(resumed).size());
    }
}
