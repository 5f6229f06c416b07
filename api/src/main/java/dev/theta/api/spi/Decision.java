package dev.theta.api.spi;

/** How scores turn into a predicted label. */
public enum Decision {
    /** The class with the largest of k scores. */
    ARGMAX,
    /** One score: class 1 when positive, class 0 otherwise. */
    SIGN,
    /** Real-valued predictions (regression): no labels, so no accuracy. */
    NONE
}
