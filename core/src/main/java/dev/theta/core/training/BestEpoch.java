package dev.theta.core.training;

import java.util.List;
import java.util.OptionalDouble;

/** The best value of one metric ({@code split.name}) over the epochs of a run so far, and the epoch that had it. */
final class BestEpoch {
    private final String metric;
    private final String split;
    private final String name;
    private final boolean minimise;
    private final double minDelta;
    private double best = Double.NaN;
    private int epoch;

    BestEpoch(String metric, boolean minimise, double minDelta) {
        this.metric = metric;
        this.split = metric.substring(0, metric.indexOf('.'));
        this.name = metric.substring(split.length() + 1);
        this.minimise = minimise;
        this.minDelta = minDelta;
    }

    /** The metric's value among one epoch's metrics (all splits); empty when that split does not report it. */
    OptionalDouble value(List<EpochMetrics> metrics) {
        double v = metrics.stream().filter(m -> m.split().equals(split)).findFirst().map(m -> m.get(name)).orElse(Double.NaN);
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** Offers {@code value} of {@code epoch}; returns whether it improves on the best by more than min-delta. */
    boolean offer(int epoch, double value) {
        boolean improved = Double.isNaN(best) || (minimise ? value < best - minDelta : value > best + minDelta);
        if (improved) {
            best = value;
            this.epoch = epoch;
        }
        return improved;
    }

    /** Offers one epoch's metrics; returns whether this epoch is the new best. */
    boolean update(int epoch, List<EpochMetrics> metrics) {
        OptionalDouble v = value(metrics);
        return v.isPresent() && offer(epoch, v.getAsDouble());
    }

    /** Feeds a run's history epoch by epoch to {@code each} (after a resume, so counting goes on where it was). */
    static void replay(List<EpochMetrics> history, EpochConsumer each) {
        for (int i = 0; i < history.size(); ) {
            int e = history.get(i).epoch();
            int j = i;
            while (j < history.size() && history.get(j).epoch() == e) {
                j++;
            }
            each.accept(e, history.subList(i, j));
            i = j;
        }
    }

    /** One epoch's metrics, all splits. */
    interface EpochConsumer {
        void accept(int epoch, List<EpochMetrics> metrics);
    }

    String metric() {
        return metric;
    }

    double best() {
        return best;
    }

    /** The epoch of the best value; 0 before any. */
    int epoch() {
        return epoch;
    }
}
