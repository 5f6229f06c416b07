package dev.theta.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.theta.core.config.ConfigDocument;
import dev.theta.core.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped example configs train to the accuracy the README promises. */
class ExamplesTest {
    @TempDir
    Path dir;

    @Test
    void digitsReachesNinetyThreePercent() throws IOException {
        List<JsonNode> m = ExampleRuns.train("digits.yaml", dir.resolve("digits"));
        double acc = ExampleRuns.last(m, "test").get("accuracy").asDouble();
        assertTrue(acc >= 0.93, "digits test accuracy " + acc);
    }

    @Test
    void wdbcReachesNinetyFivePercent() throws IOException {
        List<JsonNode> m = ExampleRuns.train("wdbc.yaml", dir.resolve("wdbc"));
        double acc = ExampleRuns.last(m, "test").get("accuracy").asDouble();
        assertTrue(acc >= 0.95, "wdbc test accuracy " + acc);
    }

    @ParameterizedTest(name = "wdbc-{0}")
    @ValueSource(strings = {"logistic", "hinge", "squared-hinge", "exponential"})
    void wdbcBinarySlideReachesNinetyFivePercent(String loss) throws IOException {
        List<JsonNode> m = ExampleRuns.train("wdbc-" + loss + ".yaml", dir.resolve(loss));
        double acc = ExampleRuns.last(m, "test").get("accuracy").asDouble();
        assertTrue(acc >= 0.95, "wdbc-" + loss + " test accuracy " + acc);
    }

    @Test
    void fashionMnistMlpReachesEightySevenPointFivePercent() throws IOException {
        List<JsonNode> m = ExampleRuns.train("fashion-mnist-mlp.yaml", dir.resolve("fashion-mlp"));
        JsonNode test = ExampleRuns.last(m, "test");
        assertEquals(10, test.get("epoch").asInt());
        assertTrue(test.get("accuracy").asDouble() >= 0.875, "fashion-mnist-mlp test accuracy " + test);
    }

    @Test
    void fashionMnistSoftmaxReachesEightyTwoPercentInThreeEpochs() throws IOException {
        List<JsonNode> m = ExampleRuns.train("fashion-mnist.yaml", dir.resolve("fashion"));
        JsonNode test = ExampleRuns.last(m, "test");
        assertEquals(3, test.get("epoch").asInt());
        assertTrue(test.get("accuracy").asDouble() >= 0.82, "fashion-mnist test accuracy " + test);
    }

    @Test
    void sameSeedGivesIdenticalMetrics() throws IOException {
        List<JsonNode> a = ExampleRuns.train("digits.yaml", dir.resolve("a"), "train.epochs=3");
        List<JsonNode> b = ExampleRuns.train("digits.yaml", dir.resolve("b"), "train.epochs=3");
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).get("loss").asDouble(), b.get(i).get("loss").asDouble(), 0.0);
            assertEquals(a.get(i).get("accuracy").asDouble(), b.get(i).get("accuracy").asDouble(), 0.0);
        }
    }

    /**
     * The CLIP example's wide softmax rows and its exp run on vector kernels: the first run starts with them
     * interpreted, the second with them compiled, and both must give the same bits (VectorMathDeterminismTest).
     */
    @Test
    void aRunGivesTheSameBitsWithItsKernelsInterpretedOrCompiled() throws IOException {
        String[] small = {"train.epochs=1", "data.train.limit=12000", "data.test.limit=2000"};
        ExampleRuns.train("clip-fashion.yaml", dir.resolve("clip-a"), small);
        ExampleRuns.train("clip-fashion.yaml", dir.resolve("clip-b"), small);
        assertEquals(java.nio.file.Files.readString(dir.resolve("clip-a/steps.csv")),
                java.nio.file.Files.readString(dir.resolve("clip-b/steps.csv")), "the loss of every step");
        assertEquals(untimed(dir.resolve("clip-a")), untimed(dir.resolve("clip-b")), "the metrics of every split");
    }

    /** Every shipped config selects its model on a validation split, never on the test split. */
    @Test
    void everyExampleConfigHasAValidationSplit() throws IOException {
        List<Path> configs;
        try (var files = java.nio.file.Files.list(Path.of("."))) {
            configs = files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(configs.size() >= 14, "the example configs: " + configs);
        for (Path config : configs) {
            java.util.Map<String, Object> root = new java.util.LinkedHashMap<>(ConfigDocument.read(config).root());
            root.remove("sweep");
            RunConfig run = RunConfig.from(root, "example");
            assertTrue(run.data().hasValidation(), config + " has no validation split");
            String by = run.train().selection().metric();
            assertTrue(by != null && by.startsWith("validation."),
                    config + " selects by " + by);
        }
    }

    private static List<String> untimed(Path run) throws IOException {
        return java.nio.file.Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .map(l -> l.replaceAll("\"(seconds|examples_per_second)\":[0-9.eE+-]+", "")).toList();
    }
}
