package dev.theta.api.spi;

import dev.theta.api.graph.Graph;

import java.util.Map;

/**
 * What an exporter writes: the prediction graph (input {@code x}, output {@code scores}, parameters as inputs whose
 * initial values are the trained values), how scores become labels, and provenance as string metadata.
 */
public record ExportRequest(Graph predict, Decision decision, Map<String, String> metadata) {
}
