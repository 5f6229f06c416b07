package dev.theta.api.train;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.reference.ReferenceInterpreter;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.Initializer;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch normalization in the training program: the running statistics are carried state of the step graph (inputs
 * with {@code next/} outputs), model values that the optimizer never sees, updated from each batch with the unbiased
 * variance; the eval and predict graphs normalise with them.
 */
class BatchNormTrainingTest {
    private static final DataSpec DATA = DataSpec.classification(Shape.of(2), 2, List.of("a", "b"));
    private static final Loss LOSS = new Loss() {
        @Override public int scores(DataSpec data) { return 2; }
        @Override public Value perExample(Value scores, Value target) {
            return scores.logSoftmax(1).gatherElements(target.reshape(Shape.BATCH, 1), 1).reshape(Shape.BATCH).neg();
        }
        @Override public Decision decision() { return Decision.ARGMAX; }
    };
    /** scores = batchnorm(x) · W, the batch normalization first so that its statistics are those of x. */
    private static final Hypothesis HYPOTHESIS = (p, x) -> p.batchNorm("bn", x, 0.1, 1e-5)
            .matmul(p.create("W", Shape.of(2, 2), 2, 2, Initializer.normal(1)));

    /** SGD that records the parameters it is asked to update. */
    private static Optimizer recording(List<String> names) {
        return u -> {
            names.add(u.name());
            return u.parameter().sub(u.gradient().mul(u.learningRate()));
        };
    }

    @Test
    void runningStatisticsAfterThreeStepsAreThoseComputedByHand() {
        List<String> updated = new ArrayList<>();
        TrainingProgram program = TrainingProgram.build(DATA, HYPOTHESIS, LOSS, recording(updated), 5);
        assertEquals(List.of("bn.weight", "bn.bias", "W"), updated, "the optimizer sees the parameters only");
        assertEquals(List.of("param/bn.weight", "param/bn.bias", "param/bn.running_mean", "param/bn.running_var",
                "param/W"), program.parameterInputs());
        assertEquals(List.of("param/bn.weight", "param/bn.bias", "param/W"), program.trainableInputs());
        assertEquals(List.copyOf(program.trainableInputs()), List.copyOf(program.initialParameters().keySet()));
        Graph step = program.step();
        assertEquals("param/bn.running_mean", step.carries().get("next/param/bn.running_mean"));
        assertEquals("param/bn.running_var", step.carries().get("next/param/bn.running_var"));
        assertEquals(Role.STATE, ((dev.theta.api.ops.Input) step.inputs().get("param/bn.running_var").op()).role());

        // Channel 0: 1, 3, 5, 7 (mean 4, unbiased variance 20/3); channel 1: 2, 2, 4, 8 (mean 4, unbiased variance 8).
        double[] x = {1, 2, 3, 2, 5, 4, 7, 8};
        Map<String, double[]> state = new LinkedHashMap<>();
        step.initialValues().forEach((name, t) -> state.put(name, ReferenceInterpreter.toDoubles(t)));
        for (int s = 1; s <= 3; s++) {
            Map<String, double[]> in = new LinkedHashMap<>(state);
            in.put(TrainingProgram.FEATURES, x);
            in.put(TrainingProgram.TARGETS, new double[] {0, 1, 1, 0});
            in.put(TrainingProgram.LEARNING_RATE, new double[] {0.5});
            in.put(TrainingProgram.STEP, new double[] {s});
            Map<String, double[]> out = ReferenceInterpreter.run(step, 4, in);
            step.carries().forEach((output, input) -> state.put(input, out.get(output)));
        }
        // running = 0.9 · running + 0.1 · batch, from mean 0 and variance 1:
        // mean 0.4, 0.76, 1.084; variance (channel 0) 0.9 + 2/3, 0.9 · 1.56667 + 2/3, ... and (channel 1) 1.7, 2.33, 2.897.
        assertArrayEquals(new double[] {1.084, 1.084}, state.get("param/bn.running_mean"), 1e-6);
        assertArrayEquals(new double[] {2.5356666667, 2.8970}, state.get("param/bn.running_var"), 1e-6);

        // The eval graph normalises with the running statistics: (x − 1.084) / √(var + 1e-5) · γ + β.
        Graph eval = program.eval();
        Map<String, double[]> in = new LinkedHashMap<>();
        eval.inputs().keySet().stream().filter(state::containsKey).forEach(name -> in.put(name, state.get(name)));
        in.put(TrainingProgram.FEATURES, x);
        in.put(TrainingProgram.TARGETS, new double[] {0, 1, 1, 0});
        Map<String, double[]> scores = ReferenceInterpreter.run(eval, 4, in);
        double[] gamma = state.get("param/bn.weight");
        double[] beta = state.get("param/bn.bias");
        double[] w = state.get("param/W");
        double[] var = state.get("param/bn.running_var");
        for (int n = 0; n < 4; n++) {
            double h0 = (x[2 * n] - 1.084) / Math.sqrt(var[0] + 1e-5) * gamma[0] + beta[0];
            double h1 = (x[2 * n + 1] - 1.084) / Math.sqrt(var[1] + 1e-5) * gamma[1] + beta[1];
            for (int k = 0; k < 2; k++) {
                assertEquals(h0 * w[k] + h1 * w[2 + k], scores.get(TrainingProgram.SCORES)[2 * n + k], 1e-5, "score " + n + ", " + k);
            }
        }
    }

    @Test
    void theEvalAndPredictGraphsReadTheRunningStatisticsAndNeverUpdateThem() {
        TrainingProgram program = TrainingProgram.build(DATA, HYPOTHESIS, LOSS, recording(new ArrayList<>()), 5);
        for (Graph g : List.of(program.eval(), program.predict())) {
            assertTrue(g.inputs().containsKey("param/bn.running_mean"));
            assertTrue(g.carries().isEmpty());
            assertFalse(g.toString().contains("MEAN"), "no batch statistics: " + g);
        }
        Map<String, Tensor> values = new LinkedHashMap<>(program.initialParameters());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TrainingProgram.predictGraph(DATA, HYPOTHESIS, values));
        assertEquals("no value given for running statistic 'bn.running_mean'", missing.getMessage());
        values.put("param/bn.running_mean", Tensor.of(Shape.of(2), 1f, 2f));
        values.put("param/bn.running_var", Tensor.of(Shape.of(2), 4f, 9f));
        Graph predict = TrainingProgram.predictGraph(DATA, HYPOTHESIS, values);
        assertEquals(values.get("param/bn.running_var"), predict.initialValues().get("param/bn.running_var"));
    }

    @Test
    void aParametersThatKeepsNoStatisticsNormalisesWithTheInitialOnes() {
        Graph g = new Graph();
        Map<String, Shape> declared = new LinkedHashMap<>();
        Parameters shapesOnly = (name, shape, fanIn, fanOut, init) -> {
            declared.put(name, shape);
            return g.input(name, Role.PARAMETER, Tensor.zeros(DType.FLOAT32, shape));
        };
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 3));
        g.output("y", shapesOnly.batchNorm("bn", x, 0.1, 1e-5));
        assertEquals(Map.of("bn.weight", Shape.of(3), "bn.bias", Shape.of(3)), declared);
        Map<String, double[]> in = Map.of("x", new double[] {1, 2, 3}, "bn.weight", new double[] {1, 1, 1},
                "bn.bias", new double[] {0, 0, 0});
        assertArrayEquals(new double[] {1 / Math.sqrt(1 + 1e-5), 2 / Math.sqrt(1 + 1e-5), 3 / Math.sqrt(1 + 1e-5)},
                ReferenceInterpreter.run(g, 1, in).get("y"), 1e-7);
    }

    @Test
    void dataParallelTrainingRefusesBatchNormalization() {
        TrainingProgram program = TrainingProgram.build(DATA, HYPOTHESIS, LOSS, recording(new ArrayList<>()), 5);
        PluginFault e = assertThrows(PluginFault.class,
                () -> SplitStep.gradientGraph(DATA, HYPOTHESIS, LOSS, program.step().initialValues()));
        assertTrue(e.getMessage().contains("batch normalization is not supported in data-parallel training"), e.getMessage());
    }
}
