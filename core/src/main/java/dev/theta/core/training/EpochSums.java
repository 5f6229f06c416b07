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
    private final int positions;
    private long correct;
    private long examples;

    /** {@code positions} classes are predicted per example (1, or T for class targets [T]). */
    EpochSums(PartialEpoch partial, int positions) {
        this.lossSum = partial.lossSum();
        this.weightSum = partial.weightSum();
        this.correct = partial.correct();
        this.examples = partial.examples();
        this.secondsBefore = partial.seconds();
        this.positions = positions;
    }

    /** Adds minibatch {@code slot} of the last call, whose rows are {@code order[from, from + count)}. */
    void add(Executable exec, int slot, Decision decision, int k, long[] targets, int[] order, int from, int count) {
        add(exec.output(TrainingProgram.LOSS_SUM).floats()[slot], exec.output(TrainingProgram.WEIGHT_SUM).floats()[slot],
                Scoring.correct(decision, exec.output(TrainingProgram.SCORES).floats(), slot * count, k, positions, targets,
                        order, from, count), count);
    }

    /** Adds a minibatch of {@code count} examples by its sums (a step an engine ran elsewhere). */
    void add(float batchLossSum, float batchWeightSum, long batchCorrect, int count) {
        lossSum += batchLossSum;
        weightSum += batchWeightSum;
        correct += batchCorrect;
        examples += count;
    }

    /** The mean loss so far. */
    double meanLoss() {
        return lossSum / weightSum;
    }

    double seconds() {
        return secondsBefore + (System.nanoTime() - started) / 1e9;
    }

    /** The examples trained on so far. */
    long examples() {
        return examples;
    }

    /** The sums as a checkpoint keeps them. */
    PartialEpoch partial() {
        return new PartialEpoch(lossSum, weightSum, correct, examples, seconds());
    }

    /** The epoch's train metrics over its examples, accuracy per predicted class (none for regression). */
    EpochMetrics metrics(int epoch, Decision decision) {
        double accuracy = decision == Decision.NONE ? Double.NaN : (double) correct / (examples * positions);
        return new EpochMetrics(epoch, "train", meanLoss(), accuracy, examples, seconds(), null);
    }
}
