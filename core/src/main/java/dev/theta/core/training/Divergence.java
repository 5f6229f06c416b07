package dev.theta.core.training;

import dev.theta.api.spi.Executable;
import dev.theta.api.train.TrainingProgram;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.run.CheckpointStore;
import dev.theta.core.run.EventLog;
import dev.theta.core.run.RunDirectory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;

/**
 * Stops a run whose loss or parameters stop being finite, naming where (epoch, step, learning rate) and the last
 * good checkpoint; no checkpoint is ever written from a bad state, since parameters are scanned first. A loss that
 * stays finite but explodes (a learning rate far too large) is warned about once.
 */
final class Divergence {
    private static final Logger LOG = LoggerFactory.getLogger(Divergence.class);
    /** A batch loss this many times the first one seen (and above {@link #EXPLODED_FLOOR}) has exploded. */
    static final float EXPLOSION = 100f;
    /** Losses below this are never called exploded: a tiny first loss makes any ratio large. */
    static final float EXPLODED_FLOOR = 10f;
    private final List<String> parameterInputs;
    private final CheckpointStore checkpoints;
    private final RunDirectory runDirectory;
    private final EventLog events;
    private final Progress progress;
    private float firstLoss = Float.NaN;
    private boolean warned;

    Divergence(List<String> parameterInputs, CheckpointStore checkpoints, RunDirectory runDirectory, EventLog events, Progress progress) {
        this.parameterInputs = parameterInputs;
        this.checkpoints = checkpoints;
        this.runDirectory = runDirectory;
        this.events = events;
        this.progress = progress;
    }

    /** Where the loop is, for the message. */
    record Position(int epoch, int stepInEpoch, int stepsPerEpoch, long step, double learningRate) {
    }

    /** The loss of minibatch {@code slot} of the last call; a NaN or infinite one ends the run. */
    float checkLoss(Executable exec, int slot, Position at) {
        return checkLoss(exec.output(TrainingProgram.LOSS).floats()[slot], at);
    }

    /** As {@link #checkLoss(Executable, int, Position)} for a step's loss {@code batchLoss}. */
    float checkLoss(float batchLoss, Position at) {
        if (!Float.isFinite(batchLoss)) {
            diverged("the loss became " + batchLoss, at);
        }
        if (Float.isNaN(firstLoss)) {
            firstLoss = batchLoss;
        } else if (!warned && batchLoss > EXPLODED_FLOOR && batchLoss > EXPLOSION * Math.abs(firstLoss)) {
            warned = true;
            String what = String.format(Locale.ROOT, "the loss exploded to %.4g at epoch %d, step %d (learning rate %s),"
                    + " %.0f times the first step's %.4g", batchLoss, at.epoch(), at.stepInEpoch(), at.learningRate(),
                    batchLoss / Math.abs(firstLoss), firstLoss);
            LOG.warn("{}; the run goes on, but its results are unlikely to mean much: try a smaller optimizer.lr", what);
            events.append("loss_exploded", "epoch", at.epoch(), "step", at.step(), "loss", batchLoss, "first_loss", firstLoss);
        }
        return batchLoss;
    }

    /**
     * A NaN or infinite parameter ends the run. It makes the next loss non-finite too, so scanning every parameter
     * after every step would only report it a few steps earlier, at several percent of a small step.
     */
    void checkParameters(Executable exec, Position at) {
        for (String p : parameterInputs) {
            float bad = ExecutableState.firstNonFinite(exec.input(p).floats());
            if (!Float.isFinite(bad)) {
                diverged("parameter " + p.substring("param/".length()) + " holds " + bad, at);
            }
        }
    }

    /** Ends the run; the last checkpoint written is the last good state. */
    private void diverged(String what, Position at) {
        progress.endEpoch();
        List<String> last = checkpoints.list();
        String kept = last.isEmpty() ? "no checkpoint" : "the last good checkpoint is " + runDirectory.describe(last.get(last.size() - 1));
        String message = "training diverged at epoch " + at.epoch() + ", step " + at.stepInEpoch() + " of " + at.stepsPerEpoch()
                + " (step " + at.step() + " in all, learning rate " + at.learningRate() + "): " + what + "; " + kept
                + "; try a smaller optimizer.lr";
        events.append("diverged", "epoch", at.epoch(), "step_in_epoch", at.stepInEpoch(), "step", at.step(), "reason", what);
        throw new UserError(ExitCode.DIVERGED, message);
    }
}
