package dev.theta.runner.cli;

import dev.theta.api.options.Options;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.ExportRequest;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.SequenceHypothesis;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.backend.onnxruntime.export.OnnxExporter;
import dev.theta.core.UserError;
import dev.theta.core.model.OnnxModel;
import dev.theta.core.run.Npz;
import dev.theta.hypotheses.Transformer;
import dev.theta.runner.Main;
import dev.theta.tasks.text.GraphScorer;
import dev.theta.tasks.text.TextGenerator;
import dev.theta.tasks.text.Tokenizer;
import dev.theta.tasks.text.Vocabulary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small transformer trained from a config in iterations, exported, and sampled: ONNX Runtime on the exported
 * model and the trained graph on the CPU backend give the same next-token distribution and the same text. The export
 * reads any context of 1 to 16 tokens (the block) and refuses others in one line; a fixed-length export of the same
 * parameters (as older theta wrote) samples the same text.
 */
class TransformerRunTest {
    private static final String LINE = "To be, or not to be, that is the question: whether 'tis nobler in the mind.\n";
    private static final Map<String, Object> MODEL = Map.of("layers", 2, "heads", 2, "embedding", 16, "bias", false);

    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void train() throws IOException {
        Files.writeString(dir.resolve("text.txt"), LINE.repeat(40));
        Path config = dir.resolve("gpt.yaml");
        Files.writeString(config, """
                name: gpt
                seed: 3
                data:
                  train: {name: text, path: text.txt, context: 16, targets: sequence, split: train}
                  test:  {name: text, path: text.txt, context: 16, targets: sequence, split: validation}
                hypothesis: {name: transformer, layers: 2, heads: 2, embedding: 16, bias: false}
                loss: {name: cross-entropy}
                optimizer:
                  name: adamw
                  lr: 0.01
                  weight-decay: 0.1
                  groups: [{kind: vector, params: [wte, wpe], weight-decay: 0.0}]
                schedule: {name: cosine, unit: step, warmup: 10, eta-min: 0.001}
                train: {max-iters: 200, eval-interval: 100, eval-batches: 4, batch-size: 8, eval-batch-size: 8, clip-grad-norm: 1.0}
                """);
        run = dir.resolve("run");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, ModelCommandsTest.theta(out, "train", config.toString(), "--out", run.toString()),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void trainingLowersTheLossWellBelowUniform() throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("steps.csv"));
        assertEquals(201, lines.size(), "a row per iteration");
        double first = Double.parseDouble(lines.get(1).split(",")[2]);
        double last = Double.parseDouble(lines.get(200).split(",")[2]);
        assertTrue(first > 2.5, "starts near ln V: " + first);
        assertTrue(last < first / 2, "the repeated line is learned: " + first + " -> " + last);
        String test = Files.readAllLines(run.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"split\":\"test\""))
                .reduce((a, b) -> b).orElseThrow();
        double testLoss = Double.parseDouble(test.replaceAll(".*\"loss\":([0-9.eE-]+).*", "$1"));
        assertTrue(testLoss < 1.0, "validation nats per character after 200 iterations: " + testLoss);
    }

    @Test
    void onnxRuntimeAndTheCpuBackendGiveTheSameDistributionAndText() throws IOException {
        Path model = run.resolve("model.onnx");
        try (OnnxModel onnx = OnnxModel.open(model);
             GraphScorer cpu = new GraphScorer(new CpuBackend(1), predictGraph(onnx))) {
            TextGenerator exported = TextGenerator.of(onnx, model.toString());
            assertEquals(16, exported.context());
            long[] prompt = new long[16];
            String text = "To be, or not to";
            for (int i = 0; i < 16; i++) {
                prompt[i] = exported.vocabulary().id(String.valueOf(text.charAt(i)));
            }
            float[] a = onnx.predict(prompt, 1, new int[] {16}).scores();
            float[] b = cpu.scores(prompt);
            assertEquals(16 * exported.vocabulary().size(), a.length, "scores at every position");
            int v = exported.vocabulary().size();
            for (int position = 0; position < 16; position++) {
                double[] p = softmax(a, position * v, v);
                double[] q = softmax(b, position * v, v);
                for (int i = 0; i < v; i++) {
                    assertEquals(p[i], q[i], 1e-5, "p(token " + i + " | position " + position + ")");
                }
            }
            TextGenerator inFramework = new TextGenerator(cpu, exported.vocabulary(), Tokenizer.CHARS, 16);
            for (String start : List.of("", "To", "whether 'tis nobler in the")) {
                String viaOnnx = exported.generate(start, 40, 0.8, 5, 11);
                assertEquals(viaOnnx, inFramework.generate(start, 40, 0.8, 5, 11), "prompt '" + start + "'");
                assertEquals(viaOnnx, exported.generate(start, 40, 0.8, 5, 11), "the same seed, the same text");
                assertTrue(viaOnnx.startsWith(start) && viaOnnx.length() == start.length() + 40, viaOnnx);
            }
            assertNotEquals(exported.generate("To", 40, 1.0, 0, 1), exported.generate("To", 40, 1.0, 0, 2));
        }
    }

    /** At GPT-2's init and at the wider one of examples/shakespeare-gpt.yaml (larger activations, larger rounding). */
    @ParameterizedTest(name = "init-std {0}")
    @ValueSource(strings = {"0.02", "0.08"})
    void theOnnxRuntimeBackendFollowsTheCpuBackendsLossOverTwentyIterations(String initStd) throws IOException {
        Path config = dir.resolve("gpt.yaml");
        List<double[]> losses = new java.util.ArrayList<>();
        for (String backend : List.of("cpu", "onnxruntime")) {
            Path out = dir.resolve("first20-" + initStd + "-" + backend);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            assertEquals(0, ModelCommandsTest.theta(log, "train", config.toString(), "--out", out.toString(),
                    "--set", "train.max-iters=20", "--set", "train.eval-interval=20", "--set", "backend.name=" + backend,
                    "--set", "hypothesis.init-std=" + initStd),
                    log.toString(StandardCharsets.UTF_8));
            losses.add(Files.readAllLines(out.resolve("steps.csv")).stream().skip(1)
                    .mapToDouble(l -> Double.parseDouble(l.split(",")[2])).toArray());
        }
        assertEquals(20, losses.get(0).length);
        for (int i = 0; i < 20; i++) {
            assertEquals(losses.get(0)[i], losses.get(1)[i], 1e-4, "loss of iteration " + (i + 1));
        }
    }

    @Test
    void theExportedModelReadsAnyContextUpToTheBlockAsThetaDoes() throws IOException {
        try (OnnxModel onnx = OnnxModel.open(run.resolve("model.onnx"))) {
            assertArrayEquals(new int[] {-1}, onnx.exampleShape(), "input [N, T], T symbolic");
            assertEquals(16, onnx.maxLength());
            assertEquals("16", onnx.metadata().get(ExportRequest.MAX_LENGTH));
            Vocabulary vocabulary = TextGenerator.of(onnx, "model.onnx").vocabulary();
            String text = "To be, or not to";
            int v = vocabulary.size();
            for (int t : new int[] {1, 2, 9, 16}) {
                long[] prompt = new long[t];
                for (int i = 0; i < t; i++) {
                    prompt[i] = vocabulary.id(String.valueOf(text.charAt(i)));
                }
                float[] a = onnx.predict(prompt, 1, new int[] {t}).scores();
                float[] b;
                try (GraphScorer cpu = new GraphScorer(new CpuBackend(1), predictGraph(onnx, t))) {
                    b = cpu.scores(prompt);
                }
                assertEquals(t * v, a.length, "scores [1, " + t + ", V]");
                for (int position = 0; position < t; position++) {
                    double[] p = softmax(a, position * v, v);
                    double[] q = softmax(b, position * v, v);
                    for (int i = 0; i < v; i++) {
                        assertEquals(q[i], p[i], 1e-5, "T = " + t + ": p(token " + i + " | position " + position + ")");
                    }
                }
            }
            for (int t : new int[] {0, 17}) {
                UserError e = assertThrows(UserError.class, () -> onnx.predict(new long[t], 1, new int[] {t}));
                assertTrue(e.getMessage().endsWith(": the model reads sequences of 1 to 16 tokens (its block size), but got "
                        + t + "; " + (t == 0 ? "give at least one token"
                        : "use the data's context of at most 16 tokens")), e.getMessage());
            }
        }
    }

    @Test
    void evalOnWindowsLongerThanTheBlockIsRefusedInOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Main.run(new String[] {"eval", run.resolve("model.onnx").toString(), dir.resolve("gpt.yaml").toString(),
                "--set", "data.train.context=20", "--set", "data.test.context=20"}, errors);
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(3, code, message);
        assertTrue(message.contains("the model reads sequences of 1 to 16 tokens (its block size), but got 20"), message);
        assertEquals(1, message.strip().lines().count(), "one line, no stack trace: " + message);
    }

    /** Every position of every test window is a prediction, scored as the CPU backend scores it. */
    @Test
    void evalScoresEveryPositionOfTheTestWindowsAsTheCpuBackendDoes() throws IOException {
        Path config = dir.resolve("gpt.yaml");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, ModelCommandsTest.theta(out, "eval", run.resolve("model.onnx").toString(), config.toString()));
        String report = out.toString(StandardCharsets.UTF_8);
        Dataset test = ConfigData.rawSplits(config, List.of()).test();
        long[] ids = test.features().longs();
        long[] targets = test.targets().longs();
        double nll = 0;
        long correct = 0;
        try (OnnxModel onnx = OnnxModel.open(run.resolve("model.onnx"));
             GraphScorer cpu = new GraphScorer(new CpuBackend(1), predictGraph(onnx))) {
            int v = TextGenerator.of(onnx, "model.onnx").vocabulary().size();
            for (int w = 0; w < test.size(); w++) {
                float[] scores = cpu.scores(Arrays.copyOfRange(ids, w * 16, w * 16 + 16));
                for (int position = 0; position < 16; position++) {
                    double[] p = softmax(scores, position * v, v);
                    int target = (int) targets[w * 16 + position];
                    nll -= Math.log(p[target]);
                    correct += Arrays.stream(p).max().orElseThrow() == p[target] ? 1 : 0;
                }
            }
            OnnxModel.Predictions whole = onnx.predict(test, test.size());
            OnnxModel.Predictions chunked = onnx.predict(test, 7);
            assertEquals(whole.n(), chunked.n());
            assertArrayEquals(whole.scores(), chunked.scores(), 1e-5f, "runs of 7 windows, the last one shorter");
        }
        int n = targets.length;
        assertTrue(test.size() > 7 && test.size() % 7 != 0, "windows: " + test.size());
        assertTrue(report.startsWith("windows " + test.size() + " of 16 positions, a prediction at each\npredictions " + n
                + "\n"), report);
        double accuracy = Double.parseDouble(report.replaceAll("(?s).*\naccuracy ([0-9.]+)\n.*", "$1"));
        double logLoss = Double.parseDouble(report.replaceAll("(?s).*\nlog-loss ([0-9.]+)\n.*", "$1"));
        assertEquals(nll / n, logLoss, 1e-4, report);
        assertEquals((double) correct / n, accuracy, 1e-4 + 2.0 / n, report);
        ByteArrayOutputStream runsOf7 = new ByteArrayOutputStream();
        assertEquals(0, ModelCommandsTest.theta(runsOf7, "eval", run.resolve("model.onnx").toString(), config.toString(),
                "--batch", "7"));
        assertEquals(report, runsOf7.toString(StandardCharsets.UTF_8), "the same report from runs of 7 windows");
    }

    @Test
    void aFixedLengthExportOfTheSameModelStillGeneratesTheSameText() throws IOException {
        Path fixed = dir.resolve("fixed.onnx");
        try (OnnxModel onnx = OnnxModel.open(run.resolve("model.onnx"))) {
            Map<String, String> metadata = new LinkedHashMap<>(onnx.metadata());
            metadata.remove(ExportRequest.MAX_LENGTH);
            metadata.keySet().removeIf(k -> k.endsWith("sha256"));
            new OnnxExporter().export(new ExportRequest(predictGraph(onnx, 16), Decision.NONE, metadata), fixed);
            try (OnnxModel old = OnnxModel.open(fixed)) {
                assertArrayEquals(new int[] {16}, old.exampleShape(), "an export of fixed length [N, 16]");
                TextGenerator padded = TextGenerator.of(old, fixed.toString());
                TextGenerator unpadded = TextGenerator.of(onnx, "model.onnx");
                assertEquals(16, padded.context());
                for (String start : List.of("", "To", "whether 'tis nobler in the")) {
                    assertEquals(unpadded.generate(start, 40, 0.8, 5, 11), padded.generate(start, 40, 0.8, 5, 11),
                            "prompt '" + start + "'");
                }
            }
        }
    }

    @Test
    void topKOfOneIsTheMostLikelyToken() throws IOException {
        try (OnnxModel onnx = OnnxModel.open(run.resolve("model.onnx"))) {
            TextGenerator g = TextGenerator.of(onnx, "model.onnx");
            assertEquals(g.generate("To be", 30, 0, 0, 1), g.generate("To be", 30, 5.0, 1, 9));
        }
    }

    /** The prediction graph of the run's transformer with its trained parameters, for the CPU backend. */
    private static dev.theta.api.graph.Graph predictGraph(OnnxModel onnx) throws IOException {
        Vocabulary vocabulary = TextGenerator.of(onnx, "model.onnx").vocabulary();
        DataSpec spec = spec(vocabulary, 16);
        Transformer provider = new Transformer();
        Options options = provider.options().validate(MODEL, "hypothesis", Set.of());
        Hypothesis h = provider.create(options, spec, vocabulary.size());
        return TrainingProgram.predictGraph(spec, h, trainedParameters());
    }

    /** As {@link #predictGraph(OnnxModel)}, over windows of {@code t} tokens: theta's own forward pass on t tokens. */
    private static dev.theta.api.graph.Graph predictGraph(OnnxModel onnx, int t) throws IOException {
        Vocabulary vocabulary = TextGenerator.of(onnx, "model.onnx").vocabulary();
        Transformer provider = new Transformer();
        Options options = provider.options().validate(MODEL, "hypothesis", Set.of());
        SequenceHypothesis h = (SequenceHypothesis) provider.create(options, spec(vocabulary, 16), vocabulary.size());
        return TrainingProgram.predictGraph(spec(vocabulary, t), h.atLength(t), trainedParameters());
    }

    private static DataSpec spec(Vocabulary vocabulary, int t) {
        return new DataSpec(Shape.of(t), DType.INT64, vocabulary.size(), vocabulary.tokens(), Shape.of(t));
    }

    private static Map<String, Tensor> trainedParameters() throws IOException {
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        Npz.read(run.resolve("parameters.npz")).forEach((name, value) -> parameters.put("param/" + name, value));
        return parameters;
    }

    private static double[] softmax(float[] scores, int from, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            max = Math.max(max, scores[from + i]);
        }
        double total = 0;
        double[] p = new double[k];
        for (int i = 0; i < k; i++) {
            p[i] = Math.exp(scores[from + i] - max);
            total += p[i];
        }
        for (int i = 0; i < k; i++) {
            p[i] /= total;
        }
        return p;
    }
}
