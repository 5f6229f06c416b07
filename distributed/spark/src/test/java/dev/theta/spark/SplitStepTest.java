package dev.theta.spark;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.SplitStep;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gradient graph (on two halves of a batch, sums added) followed by the update graph is the step graph: the same
 * parameters, optimizer state and loss after every one of ten steps, for an MLP under cross-entropy with SGD, clipped
 * SGD and Adam. Not bit for bit: the split adds a batch's gradients in another order and divides the sum by the
 * batch's weight once, so values differ by float32 rounding (1e-7 is below one ulp), well within 1e-6 relative.
 */
class SplitStepTest {
    private static final int N = 24;
    private static final int F = 5;
    private static final int K = 3;
    /** Relative to the tensor's largest magnitude; measured: at most 2.6e-7, about two float32 ulps. */
    private static final double TOLERANCE = 1e-6;

    @ParameterizedTest
    @CsvSource({"sgd, 0", "sgd, 0.5", "adam, 0"})
    void gradientsThenUpdateEqualTheStepGraph(String optimizer, double clip) {
        DataSpec spec = DataSpec.classification(Shape.of(F), K, dev.theta.api.data.InMemoryDataset.indexNames(K));
        PluginRecipe recipe = PluginRecipe.of(Map.of("name", "mlp", "hidden", java.util.List.of(4)), Map.of("name", "cross-entropy"),
                Map.of("name", optimizer, "lr", 0.05), spec);
        ModelPlugins plugins = recipe.build();
        TrainingProgram program = TrainingProgram.build(spec, plugins.hypothesis(), plugins.loss(), plugins.optimizer(), 7, clip);
        Map<String, Tensor> initial = program.initialParameters();
        Graph gradients = SplitStep.gradientGraph(spec, plugins.hypothesis(), plugins.loss(), initial);
        Graph update = SplitStep.updateGraph(plugins.loss(), plugins.optimizer(), initial, clip);
        Random random = new Random(3);
        float[] x = new float[N * F];
        long[] y = new long[N];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < N; i++) {
            y[i] = random.nextInt(K);
        }
        CpuBackend backend = new CpuBackend(1);
        int half = N / 3;
        try (Executable step = backend.compile(program.step(), N);
             Executable first = backend.compile(gradients, half);
             Executable second = backend.compile(gradients, N - half);
             Executable apply = backend.compile(update, 1)) {
            program.step().initialValues().forEach((name, value) -> step.input(name).copyFrom(value));
            update.initialValues().forEach((name, value) -> apply.input(name).copyFrom(value));
            System.arraycopy(x, 0, step.input(TrainingProgram.FEATURES).floats(), 0, x.length);
            System.arraycopy(y, 0, step.input(TrainingProgram.TARGETS).longs(), 0, N);
            System.arraycopy(x, 0, first.input(TrainingProgram.FEATURES).floats(), 0, half * F);
            System.arraycopy(y, 0, first.input(TrainingProgram.TARGETS).longs(), 0, half);
            System.arraycopy(x, half * F, second.input(TrainingProgram.FEATURES).floats(), 0, (N - half) * F);
            System.arraycopy(y, half, second.input(TrainingProgram.TARGETS).longs(), 0, N - half);
            for (int t = 1; t <= 10; t++) {
                for (Executable e : new Executable[] {step, apply}) {
                    e.input(TrainingProgram.LEARNING_RATE).floats()[0] = 0.05f;
                    e.input(TrainingProgram.STEP).floats()[0] = t;
                }
                for (String p : initial.keySet()) {
                    first.input(p).copyFrom(apply.input(p));
                    second.input(p).copyFrom(apply.input(p));
                }
                step.run();
                first.run();
                second.run();
                for (String p : initial.keySet()) {
                    float[] a = first.output(SplitStep.gradient(p)).floats();
                    float[] b = second.output(SplitStep.gradient(p)).floats();
                    float[] sum = apply.input(SplitStep.gradient(p)).floats();
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] = a[i] + b[i];
                    }
                }
                float lossSum = first.output(TrainingProgram.LOSS_SUM).floats()[0] + second.output(TrainingProgram.LOSS_SUM).floats()[0];
                float weightSum = first.output(TrainingProgram.WEIGHT_SUM).floats()[0] + second.output(TrainingProgram.WEIGHT_SUM).floats()[0];
                apply.input(TrainingProgram.WEIGHT_SUM).floats()[0] = weightSum;
                apply.run();
                assertClose(step.output(TrainingProgram.LOSS).floats(), new float[] {lossSum / weightSum}, "loss of step " + t);
                for (String carried : program.step().carries().values()) {
                    assertClose(step.input(carried).floats(), apply.input(carried).floats(), carried + " after step " + t);
                }
            }
        }
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE * Math.max(scale, 1e-30), what + "[" + i + "]");
        }
    }
}
