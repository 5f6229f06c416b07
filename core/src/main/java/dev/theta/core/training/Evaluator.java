package dev.theta.core.training;

import dev.theta.api.spi.Backend;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Executable;
import dev.theta.api.train.TrainingProgram;
import dev.theta.core.metrics.ClassificationReport;
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
    private final Decision decision;
    private final int k;
    private final int classes;
    private final List<String> classNames;
    private final String split;

    private Evaluator(Executable eval, Executable evalTail, Dataset data, String split, Decision decision, int k, int classes,
                      List<String> classNames) {
        this.split = split;
        this.eval = eval;
        this.evalTail = evalTail;
        this.batches = new Batcher(data);
        this.data = data;
        this.decision = decision;
        this.k = k;
        this.classes = classes;
        this.classNames = classNames;
    }

    /** Compiles {@code program}'s evaluation graph for {@code data} in batches of at most {@code batchSize}. */
    static Evaluator compile(Backend backend, TrainingProgram program, Dataset data, String split, int batchSize, Decision decision,
                             int k, DataSpec spec) {
        int batch = Math.min(batchSize, data.size());
        Executable eval = backend.compile(program.eval(), batch);
        Executable tail = data.size() % batch == 0 ? null : backend.compile(program.eval(), data.size() % batch);
        return new Evaluator(eval, tail, data, split, decision, k, spec.classes(), spec.classNames());
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
        int n = data.size();
        long[] targets = decision == Decision.NONE ? null : data.targets().longs();
        // A word-level vocabulary has thousands of classes: past MAX_REPORTED_CLASSES, accuracy but no confusion matrix.
        boolean report = classes <= MAX_REPORTED_CLASSES;
        long[][] confusion = decision == Decision.NONE || !report ? null : new long[classes][classes];
        // ROC-AUC ranks examples by one score: the model's own, or for two classes the margin of class 1 over class 0,
        // which orders examples as the softmax probability of class 1 does.
        boolean twoClass = decision != Decision.NONE && decision != Decision.SIGN && k == 2 && classes == 2;
        float[] oneScore = decision == Decision.SIGN || twoClass ? new float[n] : null;
        int batch = eval.input(TrainingProgram.FEATURES).shape().dim(0);
        double lossSum = 0;
        double weightSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            Executable exec = count == batch ? eval : evalTail;
            batches.fill(exec, null, from, count);
            exec.run();
            lossSum += exec.output(TrainingProgram.LOSS_SUM).floats()[0];
            weightSum += exec.output(TrainingProgram.WEIGHT_SUM).floats()[0];
            if (targets != null) {
                float[] scores = exec.output(TrainingProgram.SCORES).floats();
                for (int i = 0; i < count; i++) {
                    int predicted = Scoring.predict(decision, scores, i, k);
                    int label = (int) targets[from + i];
                    if (confusion != null) {
                        confusion[label][predicted]++;
                    }
                    correct += predicted == label ? 1 : 0;
                }
                if (twoClass) {
                    for (int i = 0; i < count; i++) {
                        oneScore[from + i] = scores[2 * i + 1] - scores[2 * i];
                    }
                } else if (oneScore != null) {
                    System.arraycopy(scores, 0, oneScore, from, count);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (confusion == null) {
            double accuracy = targets == null ? Double.NaN : (double) correct / n;
            return new EpochMetrics(epoch, split, lossSum / weightSum, accuracy, n, seconds, null);
        }
        double auc = oneScore == null ? Double.NaN : RocAuc.of(oneScore, targets, n);
        return new EpochMetrics(epoch, split, lossSum / weightSum, (double) correct / n, n, seconds,
                ClassificationReport.of(classNames, confusion, auc));
    }
}
