package dev.theta.spark;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Reduction;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.SplitStep;
import dev.theta.api.train.TrainingProgram;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a driver loop needs from the model: the seeded initial parameters (keyed by input name, as the local trainer
 * draws them), the update graph, the parameters' shapes (for the executors' graphs) and whether the loss is a mean.
 */
record DriverPrograms(Map<String, Tensor> initial, Graph update, Map<String, int[]> shapes, boolean mean) {

    static DriverPrograms of(ModelSource source, SyncSgd.Settings settings) {
        ModelPlugins plugins = source.build();
        TrainingProgram program = TrainingProgram.build(plugins.data(), plugins.hypothesis(), plugins.loss(),
                plugins.optimizer(), settings.seed(), settings.clipGradNorm());
        Map<String, Tensor> initial = program.initialParameters();
        Graph update = SplitStep.updateGraph(plugins.loss(), plugins.optimizer(), initial, settings.clipGradNorm());
        Map<String, int[]> shapes = new LinkedHashMap<>();
        initial.forEach((name, value) -> shapes.put(name, value.shape().dims()));
        return new DriverPrograms(initial, update, shapes, plugins.loss().reduction() == Reduction.MEAN);
    }
}
