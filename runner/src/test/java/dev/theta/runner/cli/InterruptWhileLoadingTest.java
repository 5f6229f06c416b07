package dev.theta.runner.cli;

import dev.theta.core.ExitCode;
import dev.theta.runner.testing.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ctrl-C while the data is still loading: exit 130 with one line saying nothing was trained or checkpointed. */
class InterruptWhileLoadingTest {
    @TempDir
    Path dir;

    @Test
    void sigintDuringDataLoadingSaysWhatWasKept() throws Exception {
        Path config = dir.resolve("run.yaml");
        Files.writeString(config, "name: stalled\ndata:\n  train: {name: stall-data}\n  test-fraction: 0.25\n"
                + "hypothesis: {name: linear}\nloss: {name: cross-entropy}\noptimizer: {name: sgd, lr: 0.1}\n");
        Path marker = dir.resolve("loading");
        Path log = dir.resolve("child.log");
        Path out = dir.resolve("run");
        Process child = Runs.child(log, List.of("-Dtheta.test.stall-marker=" + marker), "train", config.toString(), "--out", out.toString());
        Runs.await(marker, child, log, 120);
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        String output = Files.readString(log);
        assertEquals(ExitCode.INTERRUPTED.code(), child.exitValue(), output);
        assertTrue(output.contains("theta: interrupted before training started (or after it ended); no checkpoint was written"), output);
        assertFalse(output.contains("error:") || output.contains("Exception"), output);
    }
}
