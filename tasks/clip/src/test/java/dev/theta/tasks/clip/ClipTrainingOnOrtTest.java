package dev.theta.tasks.clip;

import dev.theta.api.graph.Graph;
import dev.theta.api.options.Options;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.spi.Provider;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.backend.onnxruntime.Device;
import dev.theta.backend.onnxruntime.OnnxRuntimeBackend;
import dev.theta.tasks.clip.ImageTextDataset;
import dev.theta.tasks.clip.ImageTextDatasetProvider;
import dev.theta.tasks.clip.ImageTextFiles;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training steps of dual-encoder × clip × adam (scores [N, N], the identity of a symbolic size) on ONNX Runtime, one
 * step per call and four per call (an ONNX Loop), give the CPU backend's losses within 1e-4 relative.
 */
class ClipTrainingOnOrtTest {
    private static final int BATCH = 16;
    private static final int STEPS = 12;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} step(s) per call")
    @ValueSource(ints = {1, 4})
    void stepsMatchTheCpuBackend(int stepsPerCall) throws Exception {
        ImageTextFiles.write(dir, 200, 3);
        ImageTextDatasetProvider dp = new ImageTextDatasetProvider();
        ImageTextDataset data = (ImageTextDataset) dp.load(dp.options().validate(
                Map.of("images", "images.idx", "labels", "labels.idx"), "data", List.of()), dir);
        PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader());
        HypothesisProvider hp = registry.get(PluginKind.HYPOTHESIS, HypothesisProvider.class, "dual-encoder");
        Hypothesis model = hp.create(options(hp, Map.of("image-size", ImageTextFiles.ROWS * ImageTextFiles.COLS,
                "image-hidden", List.of(8), "embedding", 8, "word-embedding", 8)), data.spec(), Shape.BATCH);
        LossProvider lp = registry.get(PluginKind.LOSS, LossProvider.class, "clip");
        Loss loss = lp.create(options(lp, Map.of()), data.spec());
        OptimizerProvider op = registry.get(PluginKind.OPTIMIZER, OptimizerProvider.class, "adam");
        Graph step = TrainingProgram.build(data.spec(), model, loss, op.create(options(op, Map.of())), 7).step();

        double[] expected;
        try (Executable cpu = new CpuBackend(1).compile(step, BATCH)) {
            expected = train(step, cpu, 1, data);
        }
        double[] actual;
        try (Executable ort = new OnnxRuntimeBackend(Device.CPU, 0, 1, stepsPerCall).compile(step, BATCH)) {
            assertEquals(stepsPerCall, ort.stepsPerCall());
            actual = train(step, ort, stepsPerCall, data);
        }
        for (int s = 0; s < STEPS; s++) {
            assertTrue(Double.isFinite(expected[s]), "CPU loss of step " + s);
            assertEquals(expected[s], actual[s], 1e-4 * Math.abs(expected[s]), "loss of step " + s);
        }
        assertTrue(expected[STEPS - 1] < expected[0], "the loss falls: " + expected[0] + " -> " + expected[STEPS - 1]);
    }

    private static Options options(Provider p, Map<String, ?> raw) {
        return p.options().validate(raw, p.name(), List.of());
    }

    /** {@value #STEPS} steps over consecutive batches, {@code k} per call; the loss of each step. */
    private static double[] train(Graph step, Executable exe, int k, ImageTextDataset data) {
        step.initialValues().forEach((name, value) -> exe.input(name).copyFrom(value));
        int width = data.spec().featureSize();
        Tensor x = exe.input(TrainingProgram.FEATURES);
        Tensor y = exe.input(TrainingProgram.TARGETS);
        double[] losses = new double[STEPS];
        for (int call = 0; call < STEPS / k; call++) {
            for (int i = 0; i < k; i++) {
                int s = call * k + i;
                int from = s * BATCH % data.size();
                System.arraycopy(data.features().floats(), from * width, x.floats(), i * BATCH * width, BATCH * width);
                System.arraycopy(data.targets().longs(), from, y.longs(), i * BATCH, BATCH);
                exe.input(TrainingProgram.LEARNING_RATE).floats()[i] = 0.01f;
                exe.input(TrainingProgram.STEP).floats()[i] = s + 1;
            }
            exe.run();
            for (int i = 0; i < k; i++) {
                losses[call * k + i] = exe.output(TrainingProgram.LOSS).get(i);
            }
        }
        return losses;
    }
}
