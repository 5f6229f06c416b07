package dev.theta.core.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.theta.core.ExitCode;
import dev.theta.core.run.Checkpoint;
import dev.theta.core.run.CheckpointStore;
import dev.theta.core.run.Npz;
import dev.theta.core.run.Provenance;
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

/** Model selection reads the validation split, and a run keeps, restores and exports the model of its best epoch. */
class SelectionTest {
    private static final String[] VALIDATION = {"--set", "data.validation-fraction=0.2", "--set", "data.stratify=true"};

    @TempDir
    Path dir;

    @Test
    void everyEpochReportsTheValidationSplit() throws IOException {
        Path config = Runs.config(dir, 300, "train: {epochs: 3}\n");
        Path out = dir.resolve("run");
        Runs.Result r = theta("train", config.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> splits = Runs.metricsWithoutTimings(out).stream().map(l -> json(l).get("split").asText()).toList();
        assertEquals(List.of("train", "validation", "test", "train", "validation", "test", "train", "validation", "test"), splits);
        long validationExamples = json(Runs.metricsWithoutTimings(out).get(1)).get("examples").asLong();
        assertEquals(45, validationExamples, "a fifth of the 225 rows the test split leaves, 15 of each class");
    }

    @Test
    void earlyStoppingRestoresAndExportsTheBestEpoch() throws IOException {
        // A min-delta no epoch can beat makes epoch 1 the best and stops the run two epochs later.
        Path config = Runs.config(dir, 300, "train: {epochs: 10, early-stopping: {metric: validation.loss, patience: 2, min-delta: 100}}\n");
        Path out = dir.resolve("run");
        Runs.Result r = theta("train", config.toString(), "--out", out.toString(), "--set", "export={format: onnx}");
        assertEquals(0, r.code(), r.err());
        assertEquals(9, Runs.metricsWithoutTimings(out).size(), "3 epochs ran");

        Path once = dir.resolve("once");
        Path oneEpoch = Runs.config(Files.createDirectories(dir.resolve("one")), 300, "train: {epochs: 1, select: last}\n");
        Runs.Result one = theta("train", oneEpoch.toString(), "--out", once.toString(), "--set", "export={format: onnx}");
        assertEquals(0, one.code(), one.err());
        assertArrayEquals(Files.readAllBytes(once.resolve("parameters.npz")), Files.readAllBytes(out.resolve("parameters.npz")),
                "the kept parameters are epoch 1's, not epoch 3's");

        Checkpoint best = new CheckpointStore(new dev.theta.core.run.RunDirectory(out, false)).best().orElseThrow();
        assertEquals(2, best.epoch(), "the best checkpoint is the state at the end of epoch 1");
        Map<String, dev.theta.api.tensor.Tensor> saved = Npz.read(out.resolve("parameters.npz"));
        saved.forEach((name, value) -> assertArrayEquals(best.carried().get("param/" + name).floats(), value.floats(), name));

        Map<String, String> provenance = Provenance.read(out.resolve(Provenance.FILE));
        assertEquals("1", provenance.get("theta.selected_epoch"));
        assertEquals("validation.loss", provenance.get("theta.selected_by"));
        assertEquals(1, json(provenance.get("theta.metrics")).get("test").get("epoch").asInt(), provenance.get("theta.metrics"));
        try (var model = dev.theta.core.model.OnnxModel.open(out.resolve("model.onnx"))) {
            assertEquals("1", model.metadata().get("theta.selected_epoch"));
        }
    }

    @Test
    void selectingOnTheTestSplitNeedsToBeAskedFor() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 2, early-stopping: {metric: test.loss}}\n");
        Runs.Result refused = Runs.theta("train", config.toString(), "--out", dir.resolve("a").toString());
        assertEquals(ExitCode.CONFIG.code(), refused.code(), refused.err());
        assertTrue(refused.err().contains("train.early-stopping.metric") && refused.err().contains("selecting on the test split"),
                refused.err());
        Runs.Result allowed = Runs.theta("train", config.toString(), "--out", dir.resolve("b").toString(),
                "--set", "train.early-stopping.select-on-test=true");
        assertEquals(0, allowed.code(), allowed.err());

        Runs.Result noValidation = Runs.theta("train", config.toString(), "--out", dir.resolve("c").toString(),
                "--set", "train.early-stopping.metric=validation.loss");
        assertEquals(ExitCode.CONFIG.code(), noValidation.code());
        assertTrue(noValidation.err().contains("needs a validation split"), noValidation.err());
    }

    private static Runs.Result theta(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + VALIDATION.length);
        System.arraycopy(VALIDATION, 0, all, args.length, VALIDATION.length);
        return Runs.theta(all);
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
