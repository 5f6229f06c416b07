package dev.theta.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.theta.api.graph.Graph;
import dev.theta.api.options.Options;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.ExportRequest;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.spi.Provider;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.testing.GraphHarness;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.backend.onnxruntime.export.OnnxExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cnn with batch normalization (after a convolution and after a dense layer) trains alike on ONNX Runtime and on
 * the CPU backend, one step per call and four (an ONNX Loop carrying the running statistics): the same losses and
 * the same running statistics; and the exported model, run by ONNX Runtime, reproduces the CPU backend's eval
 * scores, which use the running statistics, to 1e-5.
 */
class BatchNormOnOrtTest {
    static final int BATCH = 8;
    private static final int STEPS = 12;
    private static final PluginRegistry REGISTRY = PluginRegistry.discover(BatchNormOnOrtTest.class.getClassLoader());
    static final DataSpec DATA = DataSpec.classification(Shape.of(2, 6, 6), 3, List.of("a", "b", "c"));
    static final List<Object> LAYERS = List.of(Map.of("conv", 4, "kernel", 3, "bias", false), "batchnorm", "relu",
            Map.of("maxpool", 2), "flatten", Map.of("dense", 8), Map.of("batchnorm", Map.of("momentum", 0.3)), "relu");

    @TempDir
    Path dir;

    private static <P extends Provider> P provider(PluginKind kind, Class<P> type, String name) {
        return REGISTRY.get(kind, type, name);
    }

    private static Options options(Provider p, Map<String, Object> raw) {
        return p.options().validate(raw, p.name(), List.of());
    }

    static Hypothesis hypothesis() {
        HypothesisProvider hp = provider(PluginKind.HYPOTHESIS, HypothesisProvider.class, "cnn");
        return hp.create(options(hp, Map.of("layers", LAYERS)), DATA, DATA.classes());
    }

    /** Cross-entropy and SGD with momentum and weight decay (which must leave the running statistics alone). */
    static TrainingProgram program() {
        LossProvider lp = provider(PluginKind.LOSS, LossProvider.class, "cross-entropy");
        Loss loss = lp.create(options(lp, Map.of()), DATA);
        OptimizerProvider op = provider(PluginKind.OPTIMIZER, OptimizerProvider.class, "sgd");
        Optimizer sgd = op.create(options(op, Map.of("lr", 0.01, "momentum", 0.9, "weight-decay", 0.1)));
        return TrainingProgram.build(DATA, hypothesis(), loss, sgd, 17);
    }

    /** Trains {@value #STEPS} steps, {@code k} per call, on batches drawn from a seeded stream; returns each step's loss. */
    static float[] train(Executable exe, int k, Graph step) {
        step.initialValues().forEach((name, value) -> exe.input(name).copyFrom(value));
        Tensor x = exe.input(TrainingProgram.FEATURES);
        Tensor y = exe.input(TrainingProgram.TARGETS);
        int xs = x.size() / k;
        int ys = y.size() / k;
        float[] losses = new float[STEPS];
        for (int call = 0; call < STEPS / k; call++) {
            for (int i = 0; i < k; i++) {
                int s = call * k + i;
                Random r = new Random(300 + s);
                for (int j = 0; j < xs; j++) {
                    // Off-centre, wide inputs: the running statistics move far from (0, 1).
                    x.floats()[i * xs + j] = (float) (2 + 3 * r.nextGaussian());
                }
                for (int j = 0; j < ys; j++) {
                    y.longs()[i * ys + j] = r.nextInt(DATA.classes());
                }
                exe.input(TrainingProgram.LEARNING_RATE).floats()[i] = 0.01f;
                exe.input(TrainingProgram.STEP).floats()[i] = s + 1;
            }
            exe.run();
            for (int i = 0; i < k; i++) {
                losses[call * k + i] = exe.output(TrainingProgram.LOSS).floats()[i];
            }
        }
        return losses;
    }

    private static Map<String, float[]> model(Executable exe, TrainingProgram program) {
        Map<String, float[]> values = new LinkedHashMap<>();
        program.parameterInputs().forEach(p -> values.put(p, exe.input(p).floats().clone()));
        return values;
    }

    @ParameterizedTest(name = "{0} step(s) per call")
    @ValueSource(ints = {1, 4})
    void lossesAndRunningStatisticsAgreeWithTheCpuBackend(int k) {
        TrainingProgram program = program();
        Graph step = program.step();
        float[] cpuLosses;
        Map<String, float[]> cpu;
        try (Executable e = new CpuBackend(2).compile(step, BATCH)) {
            cpuLosses = train(e, 1, step);
            cpu = model(e, program);
        }
        float[] ortLosses;
        Map<String, float[]> ort;
        try (Executable e = new OnnxRuntimeBackend(Device.CPU, 0, 2, k).compile(step, BATCH)) {
            ortLosses = train(e, k, step);
            ort = model(e, program);
        }
        for (int s = 0; s < STEPS; s++) {
            assertTrue(Math.abs(ortLosses[s] - cpuLosses[s]) <= 1e-4 * Math.max(1, Math.abs(cpuLosses[s])),
                    "step " + (s + 1) + ": loss " + ortLosses[s] + " on ONNX Runtime, " + cpuLosses[s] + " on the CPU");
        }
        for (String name : List.of("param/bn2.running_mean", "param/bn2.running_var", "param/bn4.running_mean",
                "param/bn4.running_var", "param/bn2.weight", "param/bn4.bias")) {
            float[] a = cpu.get(name);
            float[] b = ort.get(name);
            for (int i = 0; i < a.length; i++) {
                assertTrue(Math.abs(a[i] - b[i]) <= 1e-4 * Math.max(1, Math.abs(a[i])),
                        name + "[" + i + "]: " + b[i] + " on ONNX Runtime, " + a[i] + " on the CPU");
            }
        }
        float[] var = cpu.get("param/bn2.running_var");
        assertTrue(Arrays.stream(new double[] {var[0], var[1]}).allMatch(v -> v > 1.5),
                "the running variance moved from 1: " + Arrays.toString(var));
    }

    @Test
    void theExportedModelReproducesTheEvalScores() throws Exception {
        TrainingProgram program = program();
        Map<String, Tensor> trained = new LinkedHashMap<>();
        try (Executable e = new CpuBackend(2).compile(program.step(), BATCH)) {
            train(e, 1, program.step());
            program.parameterInputs().forEach(p -> trained.put(p, e.input(p).copy()));
        }
        int n = 5;
        Tensor x = Tensor.zeros(DATA.featureType(), Shape.of(n, 2, 6, 6));
        Random r = new Random(5);
        for (int i = 0; i < x.size(); i++) {
            x.floats()[i] = (float) (2 + 3 * r.nextGaussian());
        }
        Map<String, Tensor> evalInputs = new LinkedHashMap<>(trained);
        evalInputs.put(TrainingProgram.FEATURES, x);
        evalInputs.put(TrainingProgram.TARGETS, Tensor.zeros(dev.theta.api.tensor.DType.INT64, Shape.of(n)));
        double[] expected;
        try (Executable eval = GraphHarness.compile(new CpuBackend(1), program.eval(), n, evalInputs)) {
            eval.run();
            expected = GraphHarness.output(eval, TrainingProgram.SCORES);
        }
        Graph predict = TrainingProgram.predictGraph(DATA, hypothesis(), trained);
        Path file = dir.resolve("model.onnx");
        new OnnxExporter().export(new ExportRequest(predict, Decision.ARGMAX, Map.of()), file);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.floats()), new long[] {n, 2, 6, 6});
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, input))) {
            FloatBuffer b = ((OnnxTensor) result.get(OnnxExporter.SCORES).orElseThrow()).getFloatBuffer();
            double[] actual = new double[b.remaining()];
            for (int i = 0; i < actual.length; i++) {
                actual[i] = b.get(i);
            }
            GraphHarness.assertClose(expected, actual, 1e-5, 1e-5, "exported scores");
        }
        List<String> initializers = new ArrayList<>();
        OnnxExporter.model(new ExportRequest(predict, Decision.ARGMAX, Map.of())).getGraph()
                .getInitializerList().forEach(t -> initializers.add(t.getName()));
        assertTrue(initializers.contains("param/bn2.running_var"), "the running statistics are in the model: " + initializers);
    }
}
