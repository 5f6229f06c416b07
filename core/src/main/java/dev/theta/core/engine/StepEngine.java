package dev.theta.core.engine;

import dev.theta.api.graph.Graph;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.tensor.Tensor;

import java.util.Map;

/**
 * An engine that runs the training loop's steps somewhere other than this JVM's backend, e.g. theta-spark's
 * {@code spark} (synchronous data-parallel SGD). Found by {@link java.util.ServiceLoader} under the name that
 * {@code distributed.engine} gives; without one the loop runs its steps itself (the default, {@code local}).
 * An engine only turns the parameters and optimizer state before a step into those after it: the loop keeps the
 * run directory, evaluation, model selection, checkpoints and export, so a run resumes on an engine as it does locally.
 */
public interface StepEngine {
    /** The name {@code distributed.engine} selects. */
    String name();

    /** The engine's options, the other keys of the {@code distributed} section. */
    OptionSchema options();

    /**
     * Checks validated options beyond their schema, before any data is read; throws
     * {@link dev.theta.api.options.OptionException} naming the option.
     */
    default void check(Options options) {
    }

    /** Starts the engine for one run. */
    Steps start(Run run, Options options);

    /**
     * One training run as the engine sees it.
     *
     * @param name         the run's name
     * @param train        the training set; steps name its rows by index
     * @param hypothesis   the run's hypothesis, loss and optimizer, as the loop uses them
     * @param parameters   the initial parameters, keyed by graph input name (their names and shapes)
     * @param step         the loop's step graph: its carried inputs (parameters and optimizer state) are the state
     *                     {@link Steps#step} reads and writes
     * @param clipGradNorm {@code train.clip-grad-norm} (0: none)
     * @param config       the resolved config, as the run directory's config.yaml holds it: what another JVM needs
     *                     to build the same plugins
     */
    record Run(String name, Dataset train, Hypothesis hypothesis, Loss loss, Optimizer optimizer,
               Map<String, Tensor> parameters, Graph step, double clipGradNorm, Map<String, Object> config) {
    }

    /** A started engine; closing it releases what it holds (a cluster context, cached data). */
    interface Steps extends AutoCloseable {
        /**
         * One step on examples {@code order[from, from + count)} of the training set: reads the parameters and
         * optimizer state from the carried inputs of {@code state} and leaves the next ones there.
         *
         * @param step the step's number (1 for the first), as the step graph's {@code step} input
         * @param lr   the step's learning rate
         */
        Outcome step(Executable state, int[] order, int from, int count, long step, float lr);

        @Override
        void close();
    }

    /**
     * What the loop reports of a step: the batch's loss as the step graph's {@code loss} output, its sums of loss
     * and weight, the correct predictions (0 for regression) and the gradient norm before clipping (NaN without
     * clipping).
     */
    record Outcome(float loss, float lossSum, float weightSum, long correct, float gradNorm) {
    }
}
