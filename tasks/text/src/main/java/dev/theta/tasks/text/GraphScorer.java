package dev.theta.tasks.text;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;

/**
 * A {@link TextGenerator.Scorer} that runs a prediction graph (see {@link TrainingProgram#predictGraph}) on a theta
 * backend, one window at a time: sampling inside the framework, without exporting the model first.
 */
public final class GraphScorer implements TextGenerator.Scorer, AutoCloseable {
    private final Executable executable;

    public GraphScorer(Backend backend, Graph predict) {
        this.executable = backend.compile(predict, 1);
    }

    @Override
    public float[] scores(long[] window) {
        Tensor x = executable.input(TrainingProgram.FEATURES);
        System.arraycopy(window, 0, x.longs(), 0, window.length);
        executable.run();
        return executable.output(TrainingProgram.SCORES).floats().clone();
    }

    @Override
    public void close() {
        executable.close();
    }
}
