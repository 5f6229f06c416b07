package dev.theta.core.training;

import dev.theta.core.ExitCode;
import dev.theta.core.run.Checkpoint;
import dev.theta.core.run.CheckpointStore;
import dev.theta.core.run.RunDirectory;
import dev.theta.runner.testing.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training in iterations (train.max-iters): batches drawn with replacement, a row of metrics every eval-interval
 * steps, and a run killed mid-interval resumes to the uninterrupted run's parameters and metrics bit for bit.
 */
class IterationsTest {
    // 450 training examples; 60 steps of 16 drawn examples, evaluated every 20.
    private static final String TRAIN = "backend: {name: stall-cpu}\n"
            + "train: {max-iters: 60, eval-interval: 20, batch-size: 16, checkpoint-every: 7, eval-batches: 2, eval-batch-size: 25}\n";

    @TempDir
    Path dir;

    @Test
    void metricsEveryEvalIntervalAndSigkillThenResumeMatchesAnUninterruptedRun() throws Exception {
        Path config = Runs.config(dir, 600, TRAIN);
        Path reference = dir.resolve("reference");
        Runs.Result first = Runs.theta("train", config.toString(), "--out", reference.toString());
        assertEquals(0, first.code(), first.err());
        List<String> metrics = Runs.metricsWithoutTimings(reference);
        assertEquals(6, metrics.size(), "train and test rows after steps 20, 40 and 60: " + metrics);
        for (int unit = 1; unit <= 3; unit++) {
            assertTrue(metrics.get(2 * unit - 2).contains("\"epoch\":" + unit) && metrics.get(2 * unit - 2).contains("\"examples\":320"),
                    "20 steps of 16 examples per row: " + metrics.get(2 * unit - 2));
            assertTrue(metrics.get(2 * unit - 1).contains("\"examples\":50"), "2 eval batches of 25: " + metrics.get(2 * unit - 1));
        }
        assertEquals(61, Files.readAllLines(reference.resolve("steps.csv")).size(), "a header and 60 steps");

        Path killed = dir.resolve("killed");
        // Step 45 is step 5 of the third interval; the newest checkpoint then is step 42.
        Runs.killAtStep(dir, config, killed, 45);
        Checkpoint latest = new CheckpointStore(new RunDirectory(killed, false)).latest().orElseThrow();
        assertEquals(42, latest.step());
        assertEquals(3, latest.epoch());
        assertEquals(2, latest.stepInEpoch());

        Runs.Result resumed = Runs.theta("train", "--resume", killed.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertArrayEquals(Files.readAllBytes(reference.resolve("parameters.npz")), Files.readAllBytes(killed.resolve("parameters.npz")),
                "same final parameters");
        assertEquals(metrics, Runs.metricsWithoutTimings(killed), "same metrics");
        assertEquals(Files.readAllLines(reference.resolve("steps.csv")), Files.readAllLines(killed.resolve("steps.csv")), "same steps");
    }

    @Test
    void clipGradNormRecordsTheNormBeforeClippingInTheStepLog() throws Exception {
        Path config = Runs.config(dir, 200, "train: {max-iters: 6, batch-size: 32, clip-grad-norm: 0.01}\n");
        Path out = dir.resolve("clipped");
        Runs.Result r = Runs.theta("train", config.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> steps = Files.readAllLines(out.resolve("steps.csv"));
        assertEquals("step,epoch,loss,lr,grad_norm", steps.get(0));
        assertEquals(7, steps.size());
        for (String row : steps.subList(1, steps.size())) {
            double norm = Double.parseDouble(row.split(",")[4]);
            assertTrue(norm > 0.01 && Double.isFinite(norm), "the norm before clipping: " + row);
        }
        assertTrue(Files.readString(out.resolve("config.yaml")).contains("clip-grad-norm"), "the resolved config keeps it");
    }

    @Test
    void epochsAndMaxItersTogetherOrAnIntervalThatDoesNotDivideAreConfigErrors() throws Exception {
        Path both = Runs.config(dir, 60, "train: {epochs: 3, max-iters: 100}\n");
        Runs.Result r = Runs.theta("train", both.toString(), "--out", dir.resolve("a").toString());
        assertEquals(ExitCode.CONFIG.code(), r.code(), r.err());
        assertTrue(r.err().contains("train.max-iters: give either train.epochs or train.max-iters, not both"), r.err());

        Path uneven = Runs.config(dir, 60, "train: {max-iters: 100, eval-interval: 30}\n");
        r = Runs.theta("train", uneven.toString(), "--out", dir.resolve("b").toString());
        assertEquals(ExitCode.CONFIG.code(), r.code(), r.err());
        assertTrue(r.err().contains("train.eval-interval = 30: must divide train.max-iters = 100"), r.err());

        Path alone = Runs.config(dir, 60, "train: {epochs: 2, eval-interval: 10}\n");
        r = Runs.theta("train", alone.toString(), "--out", dir.resolve("c").toString());
        assertEquals(ExitCode.CONFIG.code(), r.code(), r.err());
        assertTrue(r.err().contains("train.eval-interval = 10: counts iterations: it needs train.max-iters"), r.err());
    }
}
