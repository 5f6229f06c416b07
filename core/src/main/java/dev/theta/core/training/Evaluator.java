package dev.theta.core.training;

import dev.theta.api.spi.Backend;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Executable;
import dev.theta.api.train.TrainingProgram;
import dev.theta.core.metrics.ClassificationReport;
import dev.theta.core.metrics.BinaryCurves;
import dev.theta.core.metrics.RocAuc;

import java.util.List;

/**
 * Evaluates one split (validation or test) with the current parameters: mean loss, accuracy, and for classifiers the confusion
 * matrix with per-class precision, recall and F1, plus ROC-AUC when the model has one score (Decision.SIGN).
 */
final class Evaluator implements AutoCloseable {
    static final int MAX_REPORTED_CLASSES = 100;

    private final Executable eval;
    private final Executable evalTail;
    private final Batcher batches;
    private final Dataset data;
    private final int[] sample;
    private final Decision decision;
    private final int k;
    private final int positions;
    private final int classes;
    private final List<String> classNames;
    private final String split;

    private Evaluator(Executable eval, Executable evalTail, Dataset data, int[] sample, String split, Decision decision, int k,
                      DataSpec spec) {
        this.split = split;
        this.eval = eval;
        this.evalTail = evalTail;
        this.batches = new Batcher(data);
        this.data = data;
        this.sample = sample;
        this.decision = decision;
        this.k = k;
        this.positions = spec.positions();
        this.classes = spec.classes();
        this.classNames = spec.classNames();
    }

    /**
     * Compiles {@code program}'s evaluation graph for {@code data}: the whole split in batches of at most
     * {@code batchSize}, or with {@code sampledBatches} > 0 that many batches of {@code batchSize} examples drawn
     * with replacement once (from {@code seed} and the split's name), so that every evaluation sees the same examples.
     */
    static Evaluator compile(Backend backend, TrainingProgram program, Dataset data, String split, int batchSize, int sampledBatches,
                             long seed, Decision decision, int k, DataSpec spec) {
        if (sampledBatches > 0) {
            int[] sample = RandomBatches.evaluation(seed, split, data.size(), Math.multiplyExact(sampledBatches, batchSize));
            return new Evaluator(backend.compile(program.eval(), batchSize), null, data, sample, split, decision, k, spec);
        }
        int batch = Math.min(batchSize, data.size());
        Executable eval = backend.compile(program.eval(), batch);
        Executable tail = data.size() % batch == 0 ? null : backend.compile(program.eval(), data.size() % batch);
        return new Evaluator(eval, tail, data, null, split, decision, k, spec);
    }

    @Override
    public void close() {
        eval.close();
        if (evalTail != null) {
            evalTail.close();
        }
    }

    EpochMetrics evaluate(int epoch, List<String> parameterInputs, Executable step) {
        long start = System.nanoTime();
        for (String p : parameterInputs) {
            eval.input(p).copyFrom(step.input(p));
            if (evalTail != null) {
                evalTail.input(p).copyFrom(step.input(p));
            }
        }
        int n = sample == null ? data.size() : sample.length;
        // With one class per position, every position is one prediction: rows of [n · positions] labels and scores.
        int rows = Math.multiplyExact(n, positions);
        long[] labels = decision == Decision.NONE ? null : labels(rows);
        // A word-level vocabulary has thousands of classes: past MAX_REPORTED_CLASSES, accuracy but no confusion matrix.
        boolean report = classes <= MAX_REPORTED_CLASSES;
        long[][] confusion = decision == Decision.NONE || !report ? null : new long[classes][classes];
        // ROC-AUC ranks examples by one score: the model's own, or for two classes the margin of class 1 over class 0,
        // which orders examples as the softmax probability of class 1 does.
        boolean twoClass = decision != Decision.NONE && decision != Decision.SIGN && k == 2 && classes == 2;
        float[] oneScore = decision == Decision.SIGN || twoClass ? new float[rows] : null;
        int batch = eval.input(TrainingProgram.FEATURES).shape().dim(0);
        double lossSum = 0;
        double weightSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            Executable exec = count == batch ? eval : evalTail;
            batches.fill(exec, sample, from, count);
            exec.run();
            lossSum += exec.output(TrainingProgram.LOSS_SUM).floats()[0];
            weightSum += exec.output(TrainingProgram.WEIGHT_SUM).floats()[0];
            if (labels != null) {
                float[] scores = exec.output(TrainingProgram.SCORES).floats();
                int first = from * positions;
                for (int r = 0; r < count * positions; r++) {
                    int predicted = Scoring.predict(decision, scores, r, k);
                    int label = (int) labels[first + r];
                    if (confusion != null) {
                        confusion[label][predicted]++;
                    }
                    correct += predicted == label ? 1 : 0;
                }
                if (twoClass) {
                    for (int r = 0; r < count * positions; r++) {
                        oneScore[first + r] = scores[2 * r + 1] - scores[2 * r];
                    }
                } else if (oneScore != null) {
                    System.arraycopy(scores, 0, oneScore, first, count * positions);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = labels == null ? Double.NaN : (double) correct / rows;
        if (confusion == null) {
            return new EpochMetrics(epoch, split, lossSum / weightSum, accuracy, n, seconds, null);
        }
        double auc = oneScore == null ? Double.NaN : RocAuc.of(oneScore, labels, rows);
        BinaryCurves curves = oneScore == null ? null : BinaryCurves.of(oneScore, labels, rows, BinaryCurves.MAX_POINTS);
        return new EpochMetrics(epoch, split, lossSum / weightSum, accuracy, n, seconds,
                ClassificationReport.of(classNames, confusion, auc, curves));
    }

    /** The labels of the evaluated examples in evaluation order, {@code positions} per example. */
    private long[] labels(int rows) {
        long[] all = data.targets().longs();
        if (sample == null) {
            return all;
        }
        long[] out = new long[rows];
        for (int i = 0; i < sample.length; i++) {
            System.arraycopy(all, sample[i] * positions, out, i * positions, positions);
        }
        return out;
    }
}
