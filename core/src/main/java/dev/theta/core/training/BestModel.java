package dev.theta.core.training;

import dev.theta.api.tensor.Tensor;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.config.RunConfig;
import dev.theta.core.config.Selection;
import dev.theta.core.run.Checkpoint;
import dev.theta.core.run.CheckpointStore;
import dev.theta.core.run.EventLog;
import dev.theta.core.run.RunDirectory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model a run keeps under {@code train.select: best}: after each epoch that improves the selection metric, the
 * state at that epoch's end goes to the best checkpoint, apart from the rolling ones; at the end its parameters
 * are the run's.
 */
final class BestModel {
    private final BestEpoch best;
    private final CheckpointStore checkpoints;
    private final RunDirectory runDirectory;
    private final EventLog events;

    /** {@code selection} null: the run keeps its last epoch, and this keeps nothing. */
    BestModel(Selection selection, CheckpointStore checkpoints, RunDirectory runDirectory, EventLog events) {
        this.best = selection == null ? null : new BestEpoch(selection.metric(), selection.minimise(), selection.minDelta());
        this.checkpoints = checkpoints;
        this.runDirectory = runDirectory;
        this.events = events;
    }

    /** Feeds one epoch's metrics; returns whether the state at its end is the new best (then call {@link #keep}). */
    boolean improves(int epoch, List<EpochMetrics> metrics) {
        return best != null && best.update(epoch, metrics);
    }

    /** Writes {@code end}, the state after {@code epoch}, as the best checkpoint. */
    void keep(Checkpoint end, int epoch) {
        try {
            checkpoints.writeBest(end);
            events.append("best", "epoch", epoch, "metric", best.metric(), "value", best.best());
        } catch (IOException e) {
            throw new UserError(ExitCode.INTERNAL, "cannot write the best checkpoint to " + runDirectory + ": " + e.getMessage(), e);
        }
    }

    /** Replays a resumed run's history, so the best so far is known again. */
    void replay(List<EpochMetrics> history) {
        if (best != null) {
            BestEpoch.replay(history, best::update);
        }
    }

    /** The epoch whose model the run keeps: the best, or {@code lastEpoch} without selection (or before any value). */
    int selected(int lastEpoch) {
        return best == null || best.epoch() == 0 ? lastEpoch : best.epoch();
    }

    /** The metric selection reads; null without selection. */
    String metric() {
        return best == null ? null : best.metric();
    }

    double bestValue() {
        return best == null ? Double.NaN : best.best();
    }

    /** "epoch 6 of 10: best validation.loss (0.2345)", or "iteration 2000 of 2000: ..." for a run in iterations. */
    String describe(int selected, int last, RunConfig.TrainSettings settings) {
        return String.format(Locale.ROOT, "%s of %d: best %s (%.6g)", settings.at(selected),
                settings.byIterations() ? (long) last * settings.evalInterval() : last, metric(), bestValue());
    }

    /** The parameters ({@code parameterInputs}) of the best checkpoint. */
    Map<String, Tensor> parameters(List<String> parameterInputs) {
        Checkpoint c = checkpoints.best().orElseThrow(() -> new UserError(ExitCode.DATA, runDirectory
                + ": the checkpoint of the best epoch (" + best.epoch() + ") is missing or unreadable"));
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        for (String p : parameterInputs) {
            parameters.put(p, c.carried().get(p));
        }
        return parameters;
    }
}
