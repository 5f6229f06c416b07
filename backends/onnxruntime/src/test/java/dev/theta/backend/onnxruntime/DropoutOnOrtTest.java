package dev.theta.backend.onnxruntime;

import dev.theta.api.graph.Graph;
import dev.theta.api.options.Options;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.Initializer;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dropout draws the same masks on ONNX Runtime as on the CPU backend (RandomBits lowered to ONNX integer ops), one
 * step per call and four per call (an ONNX Loop, the step number sliced per iteration): the zeros of dropped scores
 * are at the same places, and the losses of a cnn and a transformer with dropout agree to 1e-4 over 12 steps.
 */
class DropoutOnOrtTest {
    private static final int BATCH = 8;
    private static final int STEPS = 12;
    private static final PluginRegistry REGISTRY = PluginRegistry.discover(DropoutOnOrtTest.class.getClassLoader());

    private static <P extends dev.theta.api.spi.Provider> P provider(PluginKind kind, Class<P> type, String name) {
        return REGISTRY.get(kind, type, name);
    }

    private static Options options(dev.theta.api.spi.Provider p, Map<String, Object> raw) {
        return p.options().validate(raw, p.name(), List.of());
    }

    private static TrainingProgram program(DataSpec data, Hypothesis hypothesis) {
        LossProvider lp = provider(PluginKind.LOSS, LossProvider.class, "cross-entropy");
        Loss loss = lp.create(options(lp, Map.of()), data);
        OptimizerProvider op = provider(PluginKind.OPTIMIZER, OptimizerProvider.class, "sgd");
        Optimizer sgd = op.create(options(op, Map.of("lr", 0.01)));
        return TrainingProgram.build(data, hypothesis, loss, sgd, 21);
    }

    private static Hypothesis hypothesis(String name, Map<String, Object> raw, DataSpec data) {
        HypothesisProvider hp = provider(PluginKind.HYPOTHESIS, HypothesisProvider.class, name);
        return hp.create(options(hp, raw), data, data.classes());
    }

    /** Per step: its loss, then its scores. */
    private static List<float[]> train(Graph step, Executable exe, int k, DataSpec data) {
        List<float[]> out = new ArrayList<>();
        Tensor x = exe.input(TrainingProgram.FEATURES);
        Tensor y = exe.input(TrainingProgram.TARGETS);
        int xs = x.size() / k;
        int ys = y.size() / k;
        for (int call = 0; call < STEPS / k; call++) {
            for (int i = 0; i < k; i++) {
                int s = call * k + i;
                Random r = new Random(100 + s);
                for (int j = 0; j < xs; j++) {
                    if (x.dtype() == DType.INT64) {
                        x.longs()[i * xs + j] = r.nextInt(data.classes());
                    } else {
                        x.floats()[i * xs + j] = r.nextFloat() * 2 - 1;
                    }
                }
                for (int j = 0; j < ys; j++) {
                    y.longs()[i * ys + j] = r.nextInt(data.classes());
                }
                exe.input(TrainingProgram.LEARNING_RATE).floats()[i] = 0.01f;
                exe.input(TrainingProgram.STEP).floats()[i] = s + 1;
            }
            exe.run();
            Tensor scores = exe.output(TrainingProgram.SCORES);
            int n = scores.size() / k;
            for (int i = 0; i < k; i++) {
                out.add(new float[] {exe.output(TrainingProgram.LOSS).floats()[i]});
                float[] slice = new float[n];
                System.arraycopy(scores.floats(), i * n, slice, 0, n);
                out.add(slice);
            }
        }
        return out;
    }

    private static void compare(TrainingProgram program, DataSpec data, int k, boolean sameZeros) {
        Graph step = program.step();
        List<float[]> cpu;
        try (Executable e = new CpuBackend(2).compile(step, BATCH)) {
            cpu = train(step, e, 1, data);
        }
        List<float[]> ort;
        try (Executable e = new OnnxRuntimeBackend(Device.CPU, 0, 2, k).compile(step, BATCH)) {
            ort = train(step, e, k, data);
        }
        int zeros = 0;
        for (int s = 0; s < STEPS; s++) {
            float expected = cpu.get(2 * s)[0];
            float actual = ort.get(2 * s)[0];
            assertTrue(Math.abs(actual - expected) <= 1e-4 * Math.max(1, Math.abs(expected)),
                    "step " + (s + 1) + ": loss " + actual + " on ONNX Runtime, " + expected + " on the CPU");
            float[] a = cpu.get(2 * s + 1);
            float[] b = ort.get(2 * s + 1);
            for (int i = 0; sameZeros && i < a.length; i++) {
                assertEquals(a[i] == 0, b[i] == 0, "step " + (s + 1) + ", score " + i + ": " + a[i] + " vs " + b[i]);
                zeros += a[i] == 0 ? 1 : 0;
            }
        }
        assertTrue(!sameZeros || zeros > 0, "some scores were dropped");
    }

    @ParameterizedTest(name = "{0} step(s) per call")
    @ValueSource(ints = {1, 4})
    void droppedScoresAreTheSameElements(int k) {
        DataSpec data = DataSpec.classification(Shape.of(6), 40, Collections.nCopies(40, "c"));
        Hypothesis h = (p, x) -> p.dropout(x.matmul(p.create("W", Shape.of(6, 40), 6, 40, Initializer.normal(1))), 0.4);
        compare(program(data, h), data, k, true);
    }

    @ParameterizedTest(name = "{0} step(s) per call")
    @ValueSource(ints = {1, 4})
    void aCnnWithDropoutTrainsAlike(int k) {
        DataSpec data = DataSpec.classification(Shape.of(1, 6, 6), 3, List.of("a", "b", "c"));
        Hypothesis h = hypothesis("cnn", Map.of("layers", List.of(Map.of("conv", 4, "kernel", 3), "relu",
                Map.of("dropout", 0.5), "flatten", Map.of("dense", 8), "relu", Map.of("dropout", 0.3))), data);
        compare(program(data, h), data, k, false);
    }

    @ParameterizedTest(name = "{0} step(s) per call")
    @ValueSource(ints = {1, 4})
    void aTransformerWithDropoutTrainsAlike(int k) {
        int t = 6;
        DataSpec data = new DataSpec(Shape.of(t), DType.INT64, 7, Collections.nCopies(7, "t"), Shape.of(t));
        Hypothesis h = hypothesis("transformer", Map.of("layers", 2, "heads", 2, "embedding", 8, "dropout", 0.2), data);
        compare(program(data, h), data, k, false);
    }
}
