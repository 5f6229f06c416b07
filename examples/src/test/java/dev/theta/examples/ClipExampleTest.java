package dev.theta.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.theta.api.options.Options;
import dev.theta.tasks.clip.ContrastiveEvaluation;
import dev.theta.tasks.clip.ContrastiveMetrics;
import dev.theta.tasks.clip.OnnxTowers;
import dev.theta.tasks.clip.ImageTextDataset;
import dev.theta.tasks.clip.ImageTextDatasetProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * examples/clip-fashion.yaml: zero-shot accuracy on the Fashion-MNIST test split with held-out prompt templates of the
 * model kept by validation loss over 5 epochs, on both backends, and the exported ONNX towers reproduce it.
 */
class ClipExampleTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "backend {0}")
    @ValueSource(strings = {"cpu", "onnxruntime"})
    void zeroShotAccuracyReachesEightyPercentAndTheTowersAgree(String backend) throws Exception {
        Path run = dir.resolve(backend);
        List<JsonNode> m = ExampleRuns.train("clip-fashion.yaml", run, "backend.name=" + backend);
        assertEquals(5, ExampleRuns.last(m, "test").get("epoch").asInt());
        assertTrue(ExampleRuns.last(m, "validation").get("loss").isNumber(), "a validation split is evaluated");
        JsonNode test = ExampleRuns.selected(m, run, "test");
        double theta = test.get("accuracy").asDouble();
        assertTrue(theta >= 0.80, "zero-shot accuracy on " + backend + ": " + test);

        ImageTextDatasetProvider provider = new ImageTextDatasetProvider();
        Options options = provider.options().validate(Map.of(
                "images", "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz",
                "labels", "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz",
                "templates", "held-out"), "data.test", List.of());
        ImageTextDataset pairs = (ImageTextDataset) provider.load(options, dir);
        try (OnnxTowers towers = OnnxTowers.open(run)) {
            ContrastiveMetrics onnx = ContrastiveEvaluation.evaluate(towers, pairs, towers.captions(), towers.prompts());
            assertEquals(theta, onnx.zeroShotAccuracy(), 0.001, "ONNX towers vs theta on " + backend);
        }
    }
}
