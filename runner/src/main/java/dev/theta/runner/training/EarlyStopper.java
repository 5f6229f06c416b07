package dev.theta.runner.training;

import dev.theta.runner.config.RunConfig.EarlyStopping;

import java.util.List;

/** Decides after every epoch whether the watched metric has stopped improving for {@code patience} epochs. */
final class EarlyStopper {
    private final EarlyStopping settings;
    private double best = Double.NaN;
    private int bestEpoch;
    private int epochsWithoutImprovement;

    /** {@code settings} may be null: then training never stops early. */
    EarlyStopper(EarlyStopping settings) {
        this.settings = settings;
    }

    /** Feeds the metrics of one finished epoch (both splits); returns true when training should stop. */
    boolean update(int epoch, List<EpochMetrics> metrics) {
        if (settings == null) {
            return false;
        }
        String split = settings.metric().substring(0, settings.metric().indexOf('.'));
        String name = settings.metric().substring(split.length() + 1);
        double value = metrics.stream().filter(m -> m.split().equals(split)).findFirst()
                .map(m -> m.get(name)).orElse(Double.NaN);
        if (Double.isNaN(value)) {
            return false;
        }
        boolean improved = Double.isNaN(best)
                || (settings.minimise() ? value < best - settings.minDelta() : value > best + settings.minDelta());
        if (improved) {
            best = value;
            bestEpoch = epoch;
            epochsWithoutImprovement = 0;
        } else {
            epochsWithoutImprovement++;
        }
        return epochsWithoutImprovement >= settings.patience();
    }

    /** Replays a run's history (after a resume) so that patience counts on where it was. */
    void replay(List<EpochMetrics> history) {
        for (int i = 0; i < history.size(); ) {
            int epoch = history.get(i).epoch();
            int j = i;
            while (j < history.size() && history.get(j).epoch() == epoch) {
                j++;
            }
            update(epoch, history.subList(i, j));
            i = j;
        }
    }

    String describe() {
        return String.format(java.util.Locale.ROOT, "%s has not improved for %d epochs (best %.6g at epoch %d)",
                settings.metric(), settings.patience(), best, bestEpoch);
    }
}
