package dev.theta.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.theta.runner.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The convolutional examples on a slice of Fashion-MNIST as (1, 28, 28) images: they train, and their exported
 * model, run by ONNX Runtime on the test split, scores the test accuracy theta reported. (The full runs and their
 * accuracy are measured in docs/benchmarks.md: ten epochs of 60,000 images are too long for every build.)
 */
class CnnExampleTest {
    @TempDir
    Path dir;

    @Test
    void theCnnTrainsOnImagesAndItsExportScoresTheSame() throws IOException {
        for (String config : List.of("fashion-mnist-cnn.yaml", "fashion-mnist-lenet.yaml")) {
            Path out = dir.resolve(config);
            List<JsonNode> m = ExampleRuns.train(config, out, "train.epochs=1", "data.train.limit=3000", "data.test.limit=1000");
            double accuracy = ExampleRuns.last(m, "test").get("accuracy").asDouble();
            assertTrue(accuracy > 0.6, config + ": one epoch of 2,700 images learns something: " + accuracy);
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            PrintStream previous = System.out;
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            try {
                assertEquals(0, Main.run(new String[] {"eval", out.resolve("model.onnx").toString(), "../examples/" + config,
                        "--set", "data.test.limit=1000"}, System.err));
            } finally {
                System.setOut(previous);
            }
            Matcher a = Pattern.compile("accuracy (\\S+)").matcher(stdout.toString(StandardCharsets.UTF_8));
            assertTrue(a.find(), stdout.toString(StandardCharsets.UTF_8));
            assertEquals(accuracy, Double.parseDouble(a.group(1)), 0.001, config + ": ONNX Runtime on the exported model");
        }
    }
}
