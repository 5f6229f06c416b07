package dev.theta.core.training;

import dev.theta.core.TrainingListener;
import dev.theta.core.run.EventLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Tells the log, the event log and the listener about each finished epoch (train metrics first, then held-out splits). */
final class EpochLog {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final int epochs;
    private final EventLog events;
    private final TrainingListener listener;

    EpochLog(int epochs, EventLog events, TrainingListener listener) {
        this.epochs = epochs;
        this.events = events;
        this.listener = listener;
    }

    void epoch(List<EpochMetrics> metrics, long step) {
        EpochMetrics train = metrics.get(0);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d  train loss %.4f acc %.4f (%.2fs, %.0f ex/s)",
                train.epoch(), epochs, train.loss(), train.accuracy(), train.seconds(), train.examplesPerSecond()));
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
