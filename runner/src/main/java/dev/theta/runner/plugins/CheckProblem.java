package dev.theta.runner.plugins;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A small random problem for {@code theta check}: data of one of a few shapes, one batch of features and targets
 * drawn from a seeded {@link Random}, and the hypothesis, loss and optimizer under test or their built-in companions.
 */
record CheckProblem(String description, DataSpec data, Hypothesis hypothesis, Loss loss, Optimizer optimizer,
                    Tensor features, Tensor targets) {
    static final int BATCH = 6;
    static final long SEED = 20240905L;
    static final float LEARNING_RATE = 0.05f;

    /** The data shapes tried in order, until the plugins under test accept one. */
    static List<DataSpec> candidates() {
        List<String> three = List.of("a", "b", "c");
        return List.of(
                DataSpec.classification(Shape.of(5), 3, three),
                DataSpec.classification(Shape.of(5), 2, List.of("neg", "pos")),
                new DataSpec(Shape.of(5), DType.FLOAT32, 0, List.of(), Shape.SCALAR),
                new DataSpec(Shape.of(3), DType.INT64, 7, IntStream.range(0, 7).mapToObj(i -> "t" + i).toList(), Shape.SCALAR),
                // (C, H, W) images, for convolutional hypotheses.
                DataSpec.classification(Shape.of(1, 6, 6), 3, three),
                // Windows of token ids with a next token per position, for sequence models (transformer).
                new DataSpec(Shape.of(4), DType.INT64, 7, IntStream.range(0, 7).mapToObj(i -> "t" + i).toList(), Shape.of(4)));
    }

    static CheckProblem draw(String description, DataSpec data, Hypothesis hypothesis, Loss loss, Optimizer optimizer) {
        Random random = new Random(SEED);
        Shape xs = batched(data.featureShape());
        Tensor x = Tensor.zeros(data.featureType(), xs);
        for (int i = 0; i < x.size(); i++) {
            if (data.featureType() == DType.INT64) {
                x.longs()[i] = random.nextInt(data.classes());
            } else {
                x.floats()[i] = (float) random.nextGaussian();
            }
        }
        Tensor y;
        if (data.isClassification()) {
            y = Tensor.zeros(DType.INT64, batched(data.targetShape()));
            for (int i = 0; i < y.size(); i++) {
                y.longs()[i] = random.nextInt(data.classes());
            }
        } else {
            y = Tensor.zeros(DType.FLOAT32, batched(data.targetShape()));
            for (int i = 0; i < y.size(); i++) {
                y.floats()[i] = (float) random.nextGaussian();
            }
        }
        return new CheckProblem(description, data, hypothesis, loss, optimizer, x, y);
    }

    TrainingProgram program() {
        return TrainingProgram.build(data, hypothesis, loss, optimizer, SEED);
    }

    /** Data inputs of a graph built by {@link TrainingProgram}, by input name. */
    java.util.Map<String, Tensor> batch() {
        return java.util.Map.of(TrainingProgram.FEATURES, features, TrainingProgram.TARGETS, targets);
    }

    /** Whether {@code g} reads targets (the prediction graph does not). */
    static boolean readsTargets(Graph g) {
        return g.inputs().containsKey(TrainingProgram.TARGETS);
    }

    private static Shape batched(Shape s) {
        int[] dims = new int[s.rank() + 1];
        dims[0] = BATCH;
        System.arraycopy(s.dims(), 0, dims, 1, s.rank());
        return Shape.of(dims);
    }
}
