package dev.theta.core.training;

import dev.theta.api.graph.Value;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.Initializer;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.losses.SquaredError;
import dev.theta.optimizers.Sgd;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * train.clip-grad-norm: PyTorch's clip_grad_norm_ over all parameters at once, checked against a double-precision
 * hand computation of the gradients of a linear model under squared error, read back from one plain SGD step.
 */
class GradientClippingTest {
    private static final int N = 4;
    private static final int F = 3;
    private static final float[] X = {1, 2, -1, 0.5f, -1, 2, 3, 0, 1, -2, 1, 0.5f};
    private static final float[] Y = {2, -1, 4, 0.5f};
    private static final float LR = 0.1f;
    private static final DataSpec SPEC = new DataSpec(Shape.of(F), DType.FLOAT32, 0, List.of(), Shape.SCALAR);

    /** s = x·w + b with w, b drawn from N(0, 1), so the gradients are large. */
    private static final Hypothesis LINEAR = (parameters, input) -> {
        Value w = parameters.create("w", Shape.of(F, 1), F, 1, Initializer.normal(1));
        Value b = parameters.create("b", Shape.of(1), F, 1, Initializer.normal(1));
        return input.matmul(w).add(b);
    };

    private record Step(double[] gradient, double norm) {
    }

    /** One SGD step of the program clipped at {@code clip}: the gradient it applied, (θ − θ') / lr, and its norm output. */
    private static Step step(double clip, double[] theta) {
        SquaredError se = new SquaredError();
        Loss loss = se.create(se.options().validate(Map.of(), "loss", List.of()), SPEC);
        Sgd sgd = new Sgd();
        Optimizer optimizer = sgd.create(sgd.options().validate(Map.of("lr", (double) LR), "optimizer", List.of()));
        TrainingProgram program = TrainingProgram.build(SPEC, LINEAR, loss, optimizer, 3, clip);
        float[] w = program.step().initialValues().get(TrainingProgram.parameter("w")).floats();
        float[] b = program.step().initialValues().get(TrainingProgram.parameter("b")).floats();
        for (int f = 0; f < F; f++) {
            theta[f] = w[f];
        }
        theta[F] = b[0];
        try (Executable exec = new CpuBackend(1).compile(program.step(), N)) {
            ExecutableState.initialise(exec, program.step());
            System.arraycopy(X, 0, exec.input(TrainingProgram.FEATURES).floats(), 0, X.length);
            System.arraycopy(Y, 0, exec.input(TrainingProgram.TARGETS).floats(), 0, N);
            exec.input(TrainingProgram.LEARNING_RATE).floats()[0] = LR;
            exec.input(TrainingProgram.STEP).floats()[0] = 1;
            exec.run();
            float[] w2 = exec.output(TrainingProgram.next(TrainingProgram.parameter("w"))).floats();
            float[] b2 = exec.output(TrainingProgram.next(TrainingProgram.parameter("b"))).floats();
            double[] g = new double[F + 1];
            for (int f = 0; f < F; f++) {
                g[f] = ((double) w[f] - w2[f]) / LR;
            }
            g[F] = ((double) b[0] - b2[0]) / LR;
            boolean hasNorm = program.step().outputs().containsKey(TrainingProgram.GRAD_NORM);
            return new Step(g, hasNorm ? exec.output(TrainingProgram.GRAD_NORM).floats()[0] : Double.NaN);
        }
    }

    /** ∂/∂(w, b) of mean (x·w + b − y)², in double. */
    private static double[] handGradient(double[] theta) {
        double[] g = new double[F + 1];
        for (int n = 0; n < N; n++) {
            double r = theta[F] - Y[n];
            for (int f = 0; f < F; f++) {
                r += X[n * F + f] * theta[f];
            }
            for (int f = 0; f < F; f++) {
                g[f] += 2 * r * X[n * F + f] / N;
            }
            g[F] += 2 * r / N;
        }
        return g;
    }

    private static double norm(double[] g) {
        double s = 0;
        for (double v : g) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    @Test
    void aSmallMaximumScalesEveryParametersGradientByOneGlobalFactor() {
        double[] theta = new double[F + 1];
        Step clipped = step(0.5, theta);
        double[] g = handGradient(theta);
        double total = norm(g);
        assertEquals(total, clipped.norm(), 1e-5 * total, "the norm before clipping");
        double coef = Math.min(1, 0.5 / (total + 1e-6));
        assertFalse(coef == 1, "the test clips: total " + total);
        for (int i = 0; i <= F; i++) {
            assertEquals(g[i] * coef, clipped.gradient()[i], 1e-4 * Math.abs(g[i] * coef) + 1e-6, "gradient " + i);
        }
        assertEquals(0.5, norm(clipped.gradient()), 1e-4);
    }

    @Test
    void aLargeMaximumLeavesTheGradientsAloneAndNoClippingHasNoNormOutput() {
        double[] theta = new double[F + 1];
        Step loose = step(1e6, theta);
        double[] g = handGradient(theta);
        assertEquals(norm(g), loose.norm(), 1e-5 * norm(g));
        Step plain = step(0, theta);
        assertEquals(Double.NaN, plain.norm());
        for (int i = 0; i <= F; i++) {
            assertEquals(g[i], loose.gradient()[i], 1e-4 * Math.abs(g[i]) + 1e-6, "gradient " + i);
            assertEquals(plain.gradient()[i], loose.gradient()[i], 0.0, "no clipping changes nothing");
        }
    }
}
