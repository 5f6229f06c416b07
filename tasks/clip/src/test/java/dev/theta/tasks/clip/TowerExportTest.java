package dev.theta.tasks.clip;

import dev.theta.api.options.Options;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.BackendProvider;
import dev.theta.api.spi.DualEncoder;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.spi.Provider;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.tasks.clip.ImageTextDataset;
import dev.theta.tasks.clip.ImageTextDatasetProvider;
import dev.theta.tasks.clip.ImageTextFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dual encoder trained briefly on small synthetic image-text data: the exported towers, run in ONNX Runtime with
 * only their own metadata, give the embeddings and the zero-shot accuracy that theta's CPU backend gives.
 */
class TowerExportTest {
    private static final int N = 400;
    private static final int BATCH = 50;
    private static final PluginRegistry REGISTRY = PluginRegistry.discover(TowerExportTest.class.getClassLoader());

    @TempDir
    static Path dir;
    private static ImageTextDataset train;
    private static ImageTextDataset test;
    private static DualEncoder model;
    private static Map<String, Tensor> parameters;
    private static Backend cpu;

    private static <P extends Provider> P plugin(PluginKind kind, Class<P> type, String name) {
        return REGISTRY.get(kind, type, name);
    }

    private static Options options(Provider p, Map<String, ?> raw) {
        return p.options().validate(raw, "test", List.of());
    }

    private static ImageTextDataset data(String templates, long seed) throws Exception {
        Path d = Files.createDirectories(dir.resolve(templates));
        ImageTextFiles.write(d, N, seed);
        ImageTextDatasetProvider p = new ImageTextDatasetProvider();
        return (ImageTextDataset) p.load(options(p, Map.of("images", "images.idx", "labels", "labels.idx",
                "templates", templates)), d);
    }

    @BeforeAll
    static void train() throws Exception {
        train = data("train", 1);
        test = data("held-out", 2);
        HypothesisProvider hp = plugin(PluginKind.HYPOTHESIS, HypothesisProvider.class, "dual-encoder");
        model = (DualEncoder) hp.create(options(hp, Map.of("image-size", ImageTextFiles.ROWS * ImageTextFiles.COLS,
                "image-hidden", List.of(32), "embedding", 16, "word-embedding", 16)), train.spec(), Shape.BATCH);
        LossProvider lp = plugin(PluginKind.LOSS, LossProvider.class, "clip");
        Loss loss = lp.create(options(lp, Map.of()), train.spec());
        OptimizerProvider op = plugin(PluginKind.OPTIMIZER, OptimizerProvider.class, "adam");
        BackendProvider bp = plugin(PluginKind.BACKEND, BackendProvider.class, "cpu");
        cpu = bp.create(options(bp, Map.of()));
        TrainingProgram program = TrainingProgram.build(train.spec(), model, loss, op.create(options(op, Map.of())), 0);
        int width = train.spec().featureSize();
        try (Executable step = cpu.compile(program.step(), BATCH)) {
            program.step().initialValues().forEach((name, value) -> step.input(name).copyFrom(value));
            for (int s = 0; s < 160; s++) {
                int from = s * BATCH % N;
                System.arraycopy(train.features().floats(), from * width, step.input(TrainingProgram.FEATURES).floats(), 0, BATCH * width);
                System.arraycopy(train.targets().longs(), from, step.input(TrainingProgram.TARGETS).longs(), 0, BATCH);
                step.input(TrainingProgram.LEARNING_RATE).floats()[0] = 0.01f;
                step.input(TrainingProgram.STEP).floats()[0] = s + 1;
                step.run();
            }
            parameters = new LinkedHashMap<>();
            for (String p : program.parameterInputs()) {
                parameters.put(p, step.input(p).copy());
            }
        }
    }

    @Test
    void exportedTowersReproduceTheEmbeddingsAndTheZeroShotAccuracy() throws Exception {
        ContrastiveMetrics theta = ContrastiveEvaluation.evaluate(cpu, model, parameters, test);
        assertTrue(theta.zeroShotAccuracy() > 0.8, "the model learned the synthetic classes: " + theta.asMap());
        Path out = Files.createDirectories(dir.resolve("export"));
        TowerExport.write(out, model, parameters, test.captions(), ContrastiveEvaluation.prompts(), Map.of("theta.version", "test"));
        try (OnnxTowers onnx = OnnxTowers.open(out);
             BackendTowers backend = new BackendTowers(cpu, model, parameters, 64)) {
            assertEquals(test.captions().vocabulary(), onnx.captions().vocabulary(), "vocabulary from the metadata");
            assertEquals(ContrastiveEvaluation.prompts(), onnx.prompts(), "prompts from the metadata");
            float[] pixels = new float[100 * model.imageSize()];
            int width = test.spec().featureSize();
            for (int i = 0; i < 100; i++) {
                System.arraycopy(test.features().floats(), i * width, pixels, i * model.imageSize(), model.imageSize());
            }
            assertClose(backend.images(pixels, 100), onnx.images(pixels, 100), "image embeddings");
            long[] ids = test.captions().encode("a blurry photo of a running shoe");
            assertClose(backend.texts(ids, 1), onnx.texts(ids, 1), "text embeddings");

            ContrastiveMetrics fromOnnx = ContrastiveEvaluation.evaluate(onnx, test, onnx.captions(), onnx.prompts());
            assertEquals(theta.zeroShotAccuracy(), fromOnnx.zeroShotAccuracy(), 0.001);
            assertEquals(theta.imageToTextRecall5(), fromOnnx.imageToTextRecall5(), 0.001);
        }
    }

    @Test
    void metricsAreSharesAndRetrievalRanksTheTestPairs() {
        ContrastiveMetrics m = ContrastiveEvaluation.evaluate(cpu, model, parameters, test);
        assertEquals(N, m.retrievalPairs());
        assertEquals(N, m.zeroShotExamples());
        for (double v : new double[] {m.imageToTextRecall1(), m.imageToTextRecall5(), m.textToImageRecall1(), m.textToImageRecall5()}) {
            assertTrue(v >= 0 && v <= 1, m.asMap().toString());
        }
        assertTrue(m.imageToTextRecall5() >= m.imageToTextRecall1());
        assertTrue(m.textToImageRecall5() >= m.textToImageRecall1());
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, what + "[" + i + "]");
        }
    }
}
