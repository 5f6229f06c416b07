package dev.theta.backend.onnxruntime;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.backend.onnxruntime.Catalog.Combo;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Whole training steps of every hypothesis × loss × optimizer: 20 steps on ONNX Runtime, one step per call and four
 * steps per call (an ONNX Loop), give the CPU backend's losses within 1e-4 relative from the same initial
 * parameters and batches.
 */
class TrainingStepTest {
    static final int BATCH = 8;
    static final int STEPS = 20;
    static final float LR = 0.01f;

    @Test
    void catalogIsCovered() {
        List<Combo> combos = Catalog.combos();
        assertTrue(combos.size() >= 20, "expected most of the catalog, got " + combos);
    }

    @TestFactory
    Stream<DynamicTest> oneStepPerCallMatchesCpu() {
        return Catalog.combos().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> compare(c, 1)));
    }

    @TestFactory
    Stream<DynamicTest> fourStepsPerCallMatchCpu() {
        return Catalog.combos().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> compare(c, 4)));
    }

    private static void compare(Combo c, int stepsPerCall) {
        Graph step = c.program(7).step();
        double[] expected;
        try (Executable cpu = new CpuBackend(2).compile(step, BATCH)) {
            expected = train(c, step, cpu, 1);
        }
        double[] actual;
        try (OrtExecutable ort = new OnnxRuntimeBackend(Device.CPU, 0, 2, stepsPerCall).compile(step, BATCH)) {
            assertEquals(stepsPerCall, ort.stepsPerCall());
            actual = train(c, step, ort, stepsPerCall);
        }
        for (int s = 0; s < STEPS; s++) {
            double tol = 1e-4 * Math.max(Math.abs(expected[s]), 1e-3);
            assertTrue(Double.isFinite(expected[s]), c + ", step " + s + ": the CPU loss diverged; lower the test's rate");
            if (!(Math.abs(actual[s] - expected[s]) <= tol)) {
                fail(c + ", step " + s + ": loss " + actual[s] + " on ONNX Runtime, " + expected[s] + " on the CPU");
            }
        }
    }

    /**
     * {@value #LR}, and a tenth of it for the cnn: a convolution's weight gradient sums over every pixel of every
     * image, so one rate moves its weights much further than a dense layer's, and at {@value #LR} the exponential
     * loss overflows on both backends within a few steps.
     */
    static float rate(Combo c) {
        return c.name().startsWith("cnn ") ? LR / 10 : LR;
    }

    /** Runs {@value #STEPS} steps, {@code k} per call, and returns the loss of each step. */
    static double[] train(Combo c, Graph step, Executable exe, int k) {
        double[] losses = new double[STEPS];
        Tensor x = exe.input(TrainingProgram.FEATURES);
        Tensor y = exe.input(TrainingProgram.TARGETS);
        Tensor lr = exe.input(TrainingProgram.LEARNING_RATE);
        Tensor t = exe.input(TrainingProgram.STEP);
        Tensor bx = Tensor.zeros(x.dtype(), step.inputs().get(TrainingProgram.FEATURES).shape().resolve(BATCH));
        Tensor by = Tensor.zeros(y.dtype(), step.inputs().get(TrainingProgram.TARGETS).shape().resolve(BATCH));
        for (int call = 0; call < STEPS / k; call++) {
            for (int i = 0; i < k; i++) {
                int s = call * k + i;
                Catalog.fillBatch(c.data(), bx, by, 1000 + s);
                copySlice(bx, x, i);
                copySlice(by, y, i);
                lr.floats()[i] = rate(c);
                t.floats()[i] = s + 1;
            }
            exe.run();
            Tensor loss = exe.output(TrainingProgram.LOSS);
            for (int i = 0; i < k; i++) {
                losses[call * k + i] = loss.get(i);
            }
        }
        return losses;
    }

    private static void copySlice(Tensor from, Tensor into, int slice) {
        int n = from.size();
        if (from.dtype() == dev.theta.api.tensor.DType.INT64) {
            System.arraycopy(from.longs(), 0, into.longs(), slice * n, n);
        } else {
            System.arraycopy(from.floats(), 0, into.floats(), slice * n, n);
        }
    }
}
