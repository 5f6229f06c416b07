package dev.theta.core.training;

import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Executable;
import dev.theta.api.train.TrainingProgram;
import dev.theta.core.run.Checkpoint.PartialEpoch;

/**
 * The running sums of one training epoch (loss and weight sums, correct predictions, time), started from a
 * checkpoint's partial epoch so that a resumed epoch ends with the same metrics as an uninterrupted one.
 */
final class EpochSums {
    private final long started = System.nanoTime();
    private final double secondsBefore;
    private double lossSum;
    private double weightSum;
    private long correct;

    EpochSums(PartialEpoch partial) {
        this.lossSum = partial.lossSum();
        this.weightSum = partial.weightSum();
        this.correct = partial.correct();
        this.secondsBefore = partial.seconds();
    }

    /** Adds minibatch {@code slot} of the last call, whose rows are {@code order[from, from + count)}. */
    void add(Executable exec, int slot, Decision decision, int k, long[] targets, int[] order, int from, int count) {
        lossSum += exec.output(TrainingProgram.LOSS_SUM).floats()[slot];
        weightSum += exec.output(TrainingProgram.WEIGHT_SUM).floats()[slot];
        correct += Scoring.correct(decision, exec.output(TrainingProgram.SCORES).floats(), slot * count, k, targets, order, from, count);
    }

    /** The mean loss so far. */
    double meanLoss() {
        return lossSum / weightSum;
    }

    double seconds() {
        return secondsBefore + (System.nanoTime() - started) / 1e9;
    }

    /** The sums as a checkpoint keeps them, after {@code seen} examples. */
    PartialEpoch partial(long seen) {
        return new PartialEpoch(lossSum, weightSum, correct, seen, seconds());
    }

    /** The epoch's train metrics over its {@code n} examples (no accuracy for regression). */
    EpochMetrics metrics(int epoch, int n, Decision decision) {
        return new EpochMetrics(epoch, "train", meanLoss(), decision == Decision.NONE ? Double.NaN : (double) correct / n, n,
                seconds(), null);
    }
}
