package dev.theta.core.training;

import dev.theta.runner.testing.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A learning rate far too large: the loss stays finite but explodes (test loss ~3e5), and the run says so once. */
class LossExplosionTest {
    @TempDir
    Path dir;

    @Test
    void anExplodingLossIsWarnedAboutOnce() throws Exception {
        Path config = Runs.config(dir, 300, "train: {epochs: 2, batch-size: 16}\n");
        Path out = dir.resolve("huge-lr");
        Runs.Result r = Runs.theta("train", config.toString(), "--out", out.toString(), "--set", "optimizer.lr=1e6");
        assertEquals(0, r.code(), r.err());
        // The warning is a log line (WARN, on the console in the CLI) and an event in the run's log, once.
        String events = Files.readString(out.resolve("events.jsonl"));
        assertEquals(1, events.split("\"loss_exploded\"", -1).length - 1, events);
        assertTrue(events.contains("\"first_loss\""), events);

        Path sane = dir.resolve("sane");
        Runs.Result s = Runs.theta("train", config.toString(), "--out", sane.toString());
        assertEquals(0, s.code(), s.err());
        assertFalse(Files.readString(sane.resolve("events.jsonl")).contains("loss_exploded"));
    }
}
