package dev.theta.core.run;

import dev.theta.api.tensor.Tensor;
import dev.theta.core.training.EpochMetrics;

import java.util.List;
import java.util.Map;

/**
 * Everything a run needs to continue exactly where it stopped.
 *
 * @param epoch         the epoch in progress (1-based); {@code epochs + 1} once all epochs are done
 * @param stepInEpoch   training steps of {@code epoch} already taken
 * @param step          training steps taken in all (the optimizer's step counter and the schedule's position)
 * @param partial       the running sums of the epoch in progress
 * @param shuffleSeed   seed of the generator that shuffles the training data every epoch
 * @param shuffles      how many shuffles that generator has made: replaying them restores the batch order
 * @param stopped       early stopping has ended the run
 * @param dataDirectory the directory the config's relative data paths are resolved against
 * @param history       the metrics of every finished epoch and split
 * @param carried       every carried input of the step graph (parameters and optimizer state) by input name
 */
public record Checkpoint(int epoch, int stepInEpoch, long step, PartialEpoch partial, long shuffleSeed, int shuffles,
                         boolean stopped, String dataDirectory, List<EpochMetrics> history, Map<String, Tensor> carried) {

    /** Running sums of a training epoch: loss and weight sums, correct predictions, examples and seconds so far. */
    public record PartialEpoch(double lossSum, double weightSum, long correct, long examples, double seconds) {
        public static final PartialEpoch EMPTY = new PartialEpoch(0, 0, 0, 0, 0);
    }
}
