package dev.theta.core;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.Executable;
import dev.theta.api.train.TrainingProgram;

import java.util.HashMap;
import java.util.Map;

/** The prediction graph with trained parameters, compiled once per batch size on the run's backend. */
final class GraphPredictor implements Predictor {
    private final Graph graph;
    private final Backend backend;
    private final Map<Integer, Executable> compiled = new HashMap<>();

    GraphPredictor(Graph graph, Backend backend) {
        this.graph = graph;
        this.backend = backend;
    }

    @Override
    public synchronized float[] scores(float[] features, int n) {
        Executable e = compiled.computeIfAbsent(n, size -> backend.compile(graph, size));
        float[] in = e.input(TrainingProgram.FEATURES).floats();
        System.arraycopy(features, 0, in, 0, in.length);
        e.run();
        return e.output(TrainingProgram.SCORES).floats().clone();
    }

    @Override
    public synchronized void close() {
        compiled.values().forEach(Executable::close);
        compiled.clear();
    }
}
