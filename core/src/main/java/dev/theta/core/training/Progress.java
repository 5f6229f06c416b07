package dev.theta.core.training;

/** Reports training progress: a live bar on a terminal, nothing between epochs otherwise. */
public interface Progress {
    /** A training pass over {@code steps} steps begins; {@code label} says which ("epoch 2/10", "iter 501-1000/5000"). */
    void startEpoch(String label, long steps);

    /** One step finished with running mean loss {@code loss} over {@code examples} examples so far. */
    void step(double loss, long examples);

    void endEpoch();
}
