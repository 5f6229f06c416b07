package dev.theta.core.training;

/** Reports training progress: a live bar on a terminal, nothing between epochs otherwise. */
public interface Progress {
    /** A training pass over {@code steps} steps begins. */
    void startEpoch(int epoch, int epochs, long steps);

    /** One step finished with running mean loss {@code loss} over {@code examples} examples so far. */
    void step(double loss, long examples);

    void endEpoch();
}
