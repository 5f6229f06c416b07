package dev.theta.core.training;

import dev.theta.core.config.RunConfig.EarlyStopping;

import java.util.List;
import java.util.OptionalDouble;

/** Decides after every epoch whether the watched metric has stopped improving for {@code patience} epochs. */
final class EarlyStopper {
    private final EarlyStopping settings;
    private final BestEpoch best;
    private int epochsWithoutImprovement;

    /** {@code settings} may be null: then training never stops early. */
    EarlyStopper(EarlyStopping settings) {
        this.settings = settings;
        this.best = settings == null ? null : new BestEpoch(settings.metric(), settings.minimise(), settings.minDelta());
    }

    /** Feeds the metrics of one finished epoch (all splits); returns true when training should stop. */
    boolean update(int epoch, List<EpochMetrics> metrics) {
        if (settings == null) {
            return false;
        }
        OptionalDouble value = best.value(metrics);
        if (value.isEmpty()) {
            return false;
        }
        epochsWithoutImprovement = best.offer(epoch, value.getAsDouble()) ? 0 : epochsWithoutImprovement + 1;
        return epochsWithoutImprovement >= settings.patience();
    }

    /** Replays a run's history (after a resume) so that patience counts on where it was. */
    void replay(List<EpochMetrics> history) {
        BestEpoch.replay(history, this::update);
    }

    String describe() {
        return String.format(java.util.Locale.ROOT, "%s has not improved for %d epochs (best %.6g at epoch %d)",
                settings.metric(), settings.patience(), best.best(), best.epoch());
    }
}
