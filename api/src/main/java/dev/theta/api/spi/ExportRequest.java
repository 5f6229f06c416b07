package dev.theta.api.spi;

import dev.theta.api.graph.Graph;

import java.util.Map;
import java.util.function.IntFunction;

/**
 * What an exporter writes: the prediction graph (input {@code x}, output {@code scores}, parameters as inputs whose
 * initial values are the trained values), how scores become labels, and provenance as string metadata. A sequence
 * model (see {@link SequenceHypothesis}) also gives its {@link Lengths}; an exporter that can write a symbolic
 * sequence length writes that instead of {@code predict}'s fixed one.
 */
public record ExportRequest(Graph predict, Decision decision, Map<String, String> metadata, Lengths lengths) {
    /** The metadata key of the longest window a model with a symbolic sequence length accepts. */
    public static final String MAX_LENGTH = "theta.max-length";

    /** A model of fixed input shape. */
    public ExportRequest(Graph predict, Decision decision, Map<String, String> metadata) {
        this(predict, decision, metadata, null);
    }

    /** A model that runs on windows of any length 1 ≤ T ≤ {@code max}; {@code predictAt(T)} is its graph for T. */
    public record Lengths(int max, IntFunction<Graph> predictAt) {
    }
}
