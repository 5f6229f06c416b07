package dev.theta.core.training;

import dev.theta.api.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * The metrics of every epoch and split, the kept parameters keyed by graph input name, whether early stopping
 * ended the run before its last epoch, and which epoch's model was kept: the best by {@code selectedBy} (a
 * {@code split.metric}), or the last when {@code selectedBy} is null.
 */
public record TrainingResult(List<EpochMetrics> history, Map<String, Tensor> parameters, boolean stoppedEarly,
                             int selectedEpoch, String selectedBy) {

    /** The metrics of {@code split} at the selected epoch; null when that epoch has none. */
    public EpochMetrics selected(String split) {
        return history.stream().filter(m -> m.epoch() == selectedEpoch && m.split().equals(split)).findFirst().orElse(null);
    }
}
