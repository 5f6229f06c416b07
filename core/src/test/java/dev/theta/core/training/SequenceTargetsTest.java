package dev.theta.core.training;

import dev.theta.api.data.InMemoryDataset;
import dev.theta.api.graph.Value;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.PluginFault;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.core.Experiment;
import dev.theta.core.Model;
import dev.theta.core.ThetaException;
import dev.theta.core.TrainingData;
import dev.theta.core.run.Checkpoint.PartialEpoch;
import dev.theta.core.testing.BigramHypothesis;
import dev.theta.losses.CrossEntropy;
import dev.theta.optimizers.Sgd;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One class per position (targets [T], next-token prediction): the hypothesis's scores [N, T, k] reach the loss as TN
 * rows, so the mean loss and accuracy are per token, compared here with a double-precision hand computation.
 */
class SequenceTargetsTest {
    private static final int V = 3;
    private static final int T = 4;
    private static final long[] X = {0, 1, 2, 0, 1, 1, 2, 2, 2, 0, 1, 0, 0, 0, 1, 2, 1, 2, 0, 1, 2, 1, 0, 2};
    private static final long[] Y = {1, 2, 0, 1, 2, 2, 0, 1, 0, 1, 2, 1, 0, 1, 2, 0, 2, 0, 1, 0, 0, 2, 1, 1};
    private static final int N = X.length / T;

    private static final DataSpec SPEC = new DataSpec(Shape.of(T), DType.INT64, V, List.of("a", "b", "c"), Shape.of(T));
    private static final InMemoryDataset DATA = new InMemoryDataset(SPEC, Tensor.of(Shape.of(N, T), X), Tensor.of(Shape.of(N, T), Y), "hand-made");

    private static TrainingProgram program(Hypothesis hypothesis) {
        CrossEntropy ce = new CrossEntropy();
        Loss loss = ce.create(ce.options().validate(Map.of(), "loss", List.of()), SPEC);
        Sgd sgd = new Sgd();
        Optimizer optimizer = sgd.create(sgd.options().validate(Map.of("lr", 0.1), "optimizer", List.of()));
        return TrainingProgram.build(SPEC, hypothesis, loss, optimizer, 5);
    }

    private static Hypothesis bigram() {
        BigramHypothesis b = new BigramHypothesis();
        return b.create(b.options().validate(Map.of(), "hypothesis", List.of()), SPEC, V);
    }

    /** The table's initial values as doubles. */
    private static double[] table(TrainingProgram program) {
        float[] w = program.step().initialValues().get(TrainingProgram.parameter("table")).floats();
        double[] d = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            d[i] = w[i];
        }
        return d;
    }

    /** Mean over all N·T tokens of −log softmax(table[x])_y. */
    private static double handLoss(double[] w) {
        return handLoss(w, java.util.stream.IntStream.range(0, N).toArray());
    }

    /** The same over the tokens of {@code examples}. */
    private static double handLoss(double[] w, int[] examples) {
        double sum = 0;
        for (int e : examples) {
            for (int i = e * T; i < (e + 1) * T; i++) {
                int row = (int) X[i] * V;
                double max = Math.max(w[row], Math.max(w[row + 1], w[row + 2]));
                double z = 0;
                for (int c = 0; c < V; c++) {
                    z += Math.exp(w[row + c] - max);
                }
                sum += max + Math.log(z) - w[row + (int) Y[i]];
            }
        }
        return sum / (examples.length * T);
    }

    /** Share of tokens whose largest score is the target's. */
    private static double handAccuracy(double[] w) {
        int right = 0;
        for (int i = 0; i < X.length; i++) {
            int row = (int) X[i] * V;
            int best = 0;
            for (int c = 1; c < V; c++) {
                best = w[row + c] > w[row + best] ? c : best;
            }
            right += best == Y[i] ? 1 : 0;
        }
        return (double) right / X.length;
    }

    @Test
    void stepLossIsTheMeanOverEveryTokenAndTrainAccuracyCountsTokens() {
        TrainingProgram program = program(bigram());
        double[] w = table(program);
        assertEquals(Shape.of(Shape.BATCH, T, V), program.predict().outputs().get(TrainingProgram.SCORES).shape(), "predict keeps [N, T, k]");
        int[] order = {5, 3, 1, 0, 2, 4};
        try (Executable step = new CpuBackend(1).compile(program.step(), N)) {
            ExecutableState.initialise(step, program.step());
            new Batcher(DATA).fill(step, order, 0, N);
            step.input(TrainingProgram.LEARNING_RATE).floats()[0] = 0.1f;
            step.input(TrainingProgram.STEP).floats()[0] = 1;
            step.run();
            double expected = handLoss(w);
            assertEquals(expected, step.output(TrainingProgram.LOSS).floats()[0], 1e-6 * expected);
            assertEquals(expected * N * T, step.output(TrainingProgram.LOSS_SUM).floats()[0], 1e-5 * expected * N * T);
            assertEquals(N * T, step.output(TrainingProgram.WEIGHT_SUM).floats()[0], "the mean's weights count tokens");

            EpochSums sums = new EpochSums(PartialEpoch.EMPTY, T);
            sums.add(step, 0, Decision.ARGMAX, V, Y, order, 0, N);
            EpochMetrics train = sums.metrics(1, Decision.ARGMAX);
            assertEquals(handAccuracy(w), train.accuracy(), 1e-12);
            assertEquals(expected, train.loss(), 1e-6 * expected);
            assertEquals(N, train.examples());
        }
    }

    @Test
    void evaluationLossAndAccuracyArePerTokenAcrossBatches() {
        TrainingProgram program = program(bigram());
        double[] w = table(program);
        CpuBackend backend = new CpuBackend(1);
        // Batches of 4 examples: one full batch and a tail of 2.
        try (Executable step = backend.compile(program.step(), N);
             Evaluator evaluator = Evaluator.compile(backend, program, DATA, "test", 4, 0, 0, Decision.ARGMAX, V, SPEC)) {
            ExecutableState.initialise(step, program.step());
            EpochMetrics m = evaluator.evaluate(1, program.parameterInputs(), step);
            assertEquals(handLoss(w), m.loss(), 1e-6);
            assertEquals(handAccuracy(w), m.accuracy(), 1e-12);
            long tokens = 0;
            for (long[] row : m.classification().confusion()) {
                for (long c : row) {
                    tokens += c;
                }
            }
            assertEquals(N * T, tokens, "the confusion matrix counts tokens");
        }
    }

    @Test
    void sampledEvaluationReadsTheSameDrawnExamplesEveryTime() {
        TrainingProgram program = program(bigram());
        double[] w = table(program);
        CpuBackend backend = new CpuBackend(1);
        // eval-batches 3 of eval-batch-size 5: 15 examples drawn with replacement from 6, once.
        try (Executable step = backend.compile(program.step(), N);
             Evaluator evaluator = Evaluator.compile(backend, program, DATA, "validation", 5, 3, 11, Decision.ARGMAX, V, SPEC)) {
            ExecutableState.initialise(step, program.step());
            EpochMetrics first = evaluator.evaluate(1, program.parameterInputs(), step);
            EpochMetrics second = evaluator.evaluate(2, program.parameterInputs(), step);
            int[] sample = RandomBatches.evaluation(11, "validation", N, 15);
            assertEquals(15, first.examples());
            assertEquals(handLoss(w, sample), first.loss(), 1e-6);
            assertEquals(first.loss(), second.loss(), 0.0, "the same examples every evaluation");
            assertEquals(first.accuracy(), second.accuracy(), 0.0);
            assertTrue(!java.util.Arrays.equals(sample, RandomBatches.evaluation(11, "test", N, 15)), "each split its own draw");
        }
    }

    @Test
    void scoresWithoutThePositionsAreThePluginsFault() {
        Hypothesis perExample = (parameters, input) -> {
            Value table = parameters.create("table", Shape.of(V, V), V, V, dev.theta.api.spi.Initializer.ZEROS);
            return table.gather(input).sum(1);
        };
        PluginFault e = assertThrows(PluginFault.class, () -> program(perExample));
        assertTrue(e.getMessage().contains("the loss asked for [N, 4, 3]"), e.getMessage());
    }

    @Test
    void trainsANextTokenModelInTheLoopAndRefusesOneLabelPerExample() {
        // A noisy cycle 0 -> 1 -> 2 -> 0: the bigram model learns it.
        Random r = new Random(2);
        int n = 60;
        long[] x = new long[n * T];
        long[] y = new long[n * T];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(V);
            y[i] = r.nextDouble() < 0.9 ? (x[i] + 1) % V : r.nextInt(V);
        }
        Experiment experiment = Experiment.builder().hypothesis(BigramHypothesis.NAME).loss("cross-entropy")
                .optimizer("sgd", Map.of("lr", 1.0)).epochs(5).batchSize(8).seed(1).build();
        try (Model model = experiment.train(TrainingData.of(Tensor.of(Shape.of(n, T), x), Tensor.of(Shape.of(n, T), y)))) {
            EpochMetrics test = model.metrics("test");
            assertTrue(test.accuracy() > 0.8, "per-token test accuracy " + test.accuracy());
            ThetaException e = assertThrows(ThetaException.class, () -> model.predict(new float[][] {{0, 1, 2, 0}}));
            assertTrue(e.getMessage().contains("a class at each of 4 positions"), e.getMessage());
        }
    }
}
