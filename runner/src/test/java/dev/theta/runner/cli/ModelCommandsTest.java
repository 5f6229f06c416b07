package dev.theta.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.theta.core.ExitCode;
import dev.theta.runner.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train writes model.onnx; export rewrites it from the run; predict and eval run it in ONNX Runtime. */
class ModelCommandsTest {
    @TempDir
    static Path dir;
    static Path config;
    static Path run;

    /** Standardised features and a held-out split: the exported model must standardise by itself. */
    @BeforeAll
    static void train() throws IOException {
        StringBuilder csv = new StringBuilder();
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 300; i++) {
            int label = r.nextInt(3);
            csv.append(100 + label * 5 + r.nextGaussian()).append(',').append(-50 + r.nextGaussian() * 3 - label).append(',').append(label).append('\n');
        }
        Files.writeString(dir.resolve("data.csv"), csv);
        config = dir.resolve("run.yaml");
        Files.writeString(config, """
                name: m
                data:
                  train: {name: csv, path: data.csv, header: none}
                  test-fraction: 0.3
                  standardize: true
                hypothesis: {name: linear}
                loss: {name: cross-entropy}
                optimizer: {name: sgd, lr: 0.1}
                train: {epochs: 5, batch-size: 16}
                """);
        run = dir.resolve("run");
        assertEquals(0, theta(new ByteArrayOutputStream(), "train", config.toString(), "--out", run.toString()));
    }

    static int theta(ByteArrayOutputStream out, String... args) {
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        } finally {
            System.setOut(previous);
        }
    }

    private static JsonNode lastTest() throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    }

    @Test
    void trainWritesModelWithProvenance() throws IOException {
        assertTrue(Files.isRegularFile(run.resolve("model.onnx")));
        String provenance = Files.readString(run.resolve("provenance.json"));
        assertTrue(provenance.contains("theta.data.sha256") && provenance.contains("data.csv"), provenance);
    }

    @Test
    void evalOfTheExportedModelReproducesTheRunsTestMetrics() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, theta(out, "eval", run.resolve("model.onnx").toString(), config.toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        JsonNode test = lastTest();
        double accuracy = Double.parseDouble(text.replaceAll("(?s).*accuracy ([0-9.]+).*", "$1"));
        double logLoss = Double.parseDouble(text.replaceAll("(?s).*log-loss ([0-9.]+).*", "$1"));
        assertEquals(test.get("accuracy").asDouble(), accuracy, 1e-4, text);
        assertEquals(test.get("loss").asDouble(), logLoss, 1e-4, text);
    }

    @Test
    void exportAgainGivesTheSamePredictions() throws IOException {
        ByteArrayOutputStream before = new ByteArrayOutputStream();
        assertEquals(0, theta(before, "predict", run.resolve("model.onnx").toString(), config.toString()));
        Files.delete(run.resolve("model.onnx"));
        assertEquals(0, theta(new ByteArrayOutputStream(), "export", run.toString()));
        ByteArrayOutputStream after = new ByteArrayOutputStream();
        assertEquals(0, theta(after, "predict", run.resolve("model.onnx").toString(), config.toString()));
        String[] a = before.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(91, a.length, "header + 90 test rows");
        assertArrayEquals(a, after.toString(StandardCharsets.UTF_8).split("\n"));
    }

    @Test
    void exportNoneWritesNoModel() {
        Path other = dir.resolve("no-export");
        assertEquals(0, theta(new ByteArrayOutputStream(), "train", config.toString(), "--out", other.toString(), "--set", "export=none"));
        assertTrue(!Files.exists(other.resolve("model.onnx")));
    }

    @Test
    void missingModelIsADataError() {
        assertEquals(ExitCode.DATA.code(), theta(new ByteArrayOutputStream(), "eval", dir.resolve("nope.onnx").toString(), config.toString()));
    }

    private static Path otherClasses(String name, int classes) throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            int label = i % classes;
            csv.append(100 + label * 5).append(',').append(-50 - label).append(',').append(label).append('\n');
        }
        Files.writeString(dir.resolve(name + ".csv"), csv);
        Path other = dir.resolve(name + ".yaml");
        Files.writeString(other, Files.readString(config).replace("path: data.csv", "path: " + name + ".csv"));
        return other;
    }

    @Test
    void evalOnDataOfMoreClassesThanTheModelSaysWhich() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"eval", run.resolve("model.onnx").toString(), otherClasses("five", 5).toString()},
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.DATA.code(), code, text);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("theta: error: " + run.resolve("model.onnx") + " scores 3 classes, but ") && text.contains(" has 5 (labels up to 4)"), text);
    }

    @Test
    void evalOnDataOfOtherFeaturesSaysWhichInputAndWhichShapes() throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            csv.append(i).append(',').append(-i).append(',').append(i * 2).append(',').append(i % 3).append('\n');
        }
        Files.writeString(dir.resolve("three.csv"), csv);
        Path other = dir.resolve("three.yaml");
        Files.writeString(other, Files.readString(config).replace("path: data.csv", "path: three.csv"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"eval", run.resolve("model.onnx").toString(), other.toString()},
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.DATA.code(), code, text);
        assertEquals("theta: error: " + run.resolve("model.onnx") + ": the model's input 'input' takes float32 examples of"
                + " shape [2], but the data has float32 examples of shape [3]\n", text);
    }

    @Test
    void evalOnDataLackingTheLastClassUsesTheModelsClasses() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, theta(out, "eval", run.resolve("model.onnx").toString(), otherClasses("two", 2).toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("\n2 "), "a row for the class the data lacks:\n" + text);
    }

    @Test
    void aFlippedWeightByteIsADataErrorNamingTheFile() throws IOException {
        Path damaged = dir.resolve("damaged.onnx");
        byte[] bytes = Files.readAllBytes(run.resolve("model.onnx"));
        ai.onnx.proto.OnnxMl.ModelProto model = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(bytes);
        byte[] weights = model.getGraph().getInitializer(0).getRawData().toByteArray();
        assertTrue(weights.length > 4, "the first parameter is stored as raw bytes");
        int at = indexOf(bytes, weights) + weights.length / 2;
        bytes[at] ^= 0x10;
        Files.write(damaged, bytes);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"predict", damaged.toString(), config.toString()}, new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.DATA.code(), code, text);
        assertEquals("theta: error: " + damaged + ": its parameters do not match the checksum theta stored when it wrote the model"
                + " (theta.parameters.sha256): the file is damaged or was changed; export it again from its run with theta export RUN_DIR\n", text);
        assertEquals(0, theta(new ByteArrayOutputStream(), "predict", run.resolve("model.onnx").toString(), config.toString()), "the intact model still loads");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
