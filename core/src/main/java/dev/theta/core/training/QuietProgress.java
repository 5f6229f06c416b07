package dev.theta.core.training;

/** No live progress: without a terminal the trainer logs one line per epoch instead. */
public final class QuietProgress implements Progress {
    @Override
    public void startEpoch(String label, long steps) {
    }

    @Override
    public void step(double loss, long examples) {
    }

    @Override
    public void endEpoch() {
    }
}
