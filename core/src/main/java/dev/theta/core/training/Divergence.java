package dev.theta.core.training;

import dev.theta.api.spi.Executable;
import dev.theta.api.train.TrainingProgram;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.run.CheckpointStore;
import dev.theta.core.run.EventLog;
import dev.theta.core.run.RunDirectory;

import java.util.List;

/**
 * Stops a run whose loss or parameters stop being finite, naming where (epoch, step, learning rate) and the last
 * good checkpoint; no checkpoint is ever written from a bad state, since parameters are scanned first.
 */
final class Divergence {
    private final List<String> parameterInputs;
    private final CheckpointStore checkpoints;
    private final RunDirectory runDirectory;
    private final EventLog events;
    private final Progress progress;

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
        float batchLoss = exec.output(TrainingProgram.LOSS).floats()[slot];
        if (!Float.isFinite(batchLoss)) {
            diverged("the loss became " + batchLoss, at);
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
