package dev.theta.core.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.theta.runner.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ONNX Runtime backend running four minibatches per call (an ONNX Loop) trains like one per call: the loop
 * stacks full batches four at a time, runs the rest of the epoch and the smaller last batch one step per call.
 */
class StepsPerCallTest {
    @TempDir
    Path dir;

    private List<JsonNode> train(Path config, String name, int stepsPerCall) throws IOException {
        Path out = dir.resolve(name);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"train", config.toString(), "--out", out.toString(), "--set",
                "backend={name: onnxruntime, steps-per-call: " + stepsPerCall + "}"}, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            lines.add(json.readTree(line));
        }
        return lines;
    }

    @Test
    void fourStepsPerCallMatchOneInIterations() throws IOException {
        Path config = dataAndConfig("train: {max-iters: 30, eval-interval: 10, batch-size: 16, checkpoint-every: 5}");
        assertSameMetrics(train(config, "one", 1), train(config, "four", 4));
    }

    @Test
    void fourStepsPerCallMatchOne() throws IOException {
        Path config = dataAndConfig("train: {epochs: 3, batch-size: 16, checkpoint-every: 5}");
        assertSameMetrics(train(config, "one", 1), train(config, "four", 4));
    }

    /**
     * 200 rows, batch 16: in epochs, 12 full batches (three calls of four) and a last batch of 8, every epoch; in
     * iterations of 10 steps, two calls of four and two single steps per interval.
     */
    private Path dataAndConfig(String train) throws IOException {
        StringBuilder csv = new StringBuilder();
        Random r = new Random(4);
        for (int i = 0; i < 200; i++) {
            int label = r.nextInt(3);
            csv.append(label + r.nextGaussian()).append(',').append(r.nextGaussian() - label).append(',').append(label).append('\n');
        }
        Files.writeString(dir.resolve("data.csv"), csv);
        Path config = dir.resolve("run.yaml");
        Files.writeString(config, """
                name: k
                data:
                  train: {name: csv, path: data.csv, header: none}
                  test-fraction: 0.2
                hypothesis: {name: mlp, hidden: [8]}
                loss: {name: cross-entropy}
                optimizer: {name: adam, lr: 0.01}
                export: none
                """ + train + "\n");
        return config;
    }

    private static void assertSameMetrics(List<JsonNode> one, List<JsonNode> four) {
        assertEquals(one.size(), four.size());
        for (int i = 0; i < one.size(); i++) {
            for (String key : new String[] {"loss", "accuracy"}) {
                double a = one.get(i).get(key).asDouble();
                double b = four.get(i).get(key).asDouble();
                assertEquals(a, b, 1e-5 * Math.max(1, Math.abs(a)), "line " + i + " " + key + ": " + one.get(i) + " vs " + four.get(i));
            }
        }
    }
}
