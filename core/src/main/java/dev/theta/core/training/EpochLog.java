package dev.theta.core.training;

import dev.theta.core.TrainingListener;
import dev.theta.core.config.RunConfig;
import dev.theta.core.run.EventLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tells the log, the event log and the listener about each finished epoch (train metrics first, then held-out splits);
 * a run in iterations logs each evaluation by its step.
 */
final class EpochLog {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final RunConfig.TrainSettings settings;
    private final EventLog events;
    private final TrainingListener listener;

    EpochLog(RunConfig.TrainSettings settings, EventLog events, TrainingListener listener) {
        this.settings = settings;
        this.events = events;
        this.listener = listener;
    }

    void epoch(List<EpochMetrics> metrics, long step) {
        EpochMetrics train = metrics.get(0);
        String at = settings.byIterations() ? String.format(Locale.ROOT, "iter %d/%d", step, settings.maxIters())
                : String.format(Locale.ROOT, "epoch %d/%d", train.epoch(), settings.epochs());
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s  train loss %.4f acc %.4f (%.2fs, %.0f ex/s)",
                at, train.loss(), train.accuracy(), train.seconds(), train.examplesPerSecond()));
        List<Object> fields = new ArrayList<>(List.of("epoch", train.epoch(), "step", step));
        for (EpochMetrics m : metrics) {
            line.append(m == train ? "" : String.format(Locale.ROOT, "  %s loss %.4f acc %.4f", m.split(), m.loss(), m.accuracy()));
            fields.addAll(List.of(m.split() + "_loss", m.loss(), m.split() + "_accuracy", m.accuracy()));
        }
        fields.addAll(List.of("seconds", train.seconds(), "examples_per_second", train.examplesPerSecond()));
        LOG.info(line.toString());
        events.append("epoch", fields.toArray());
        listener.onEpoch(train.epoch(), List.copyOf(metrics));
    }
}
