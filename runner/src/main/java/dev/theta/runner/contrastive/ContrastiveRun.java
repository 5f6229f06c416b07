package dev.theta.runner.contrastive;

import dev.theta.api.spi.Backend;
import dev.theta.api.spi.DualEncoder;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.tensor.Tensor;
import dev.theta.runner.datasets.ImageTextDataset;
import dev.theta.runner.training.TrainTestData;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a training run of a dual encoder on image-text data adds: zero-shot and retrieval metrics after every epoch,
 * and the two ONNX towers beside the run's model.
 */
public final class ContrastiveRun {
    private final DualEncoder model;
    private final ImageTextDataset test;
    private final Backend backend;

    private ContrastiveRun(DualEncoder model, ImageTextDataset test, Backend backend) {
        this.model = model;
        this.test = test;
        this.backend = backend;
    }

    /** Present when the hypothesis is a dual encoder and the test split holds image-text pairs. */
    public static Optional<ContrastiveRun> of(Hypothesis hypothesis, TrainTestData data, Backend backend) {
        if (hypothesis instanceof DualEncoder dual && data.test() instanceof ImageTextDataset pairs) {
            return Optional.of(new ContrastiveRun(dual, pairs, backend));
        }
        return Optional.empty();
    }

    /** The metrics with {@code parameters} keyed by graph input name. */
    public ContrastiveMetrics evaluate(Map<String, Tensor> parameters) {
        return ContrastiveEvaluation.evaluate(backend, model, parameters, test);
    }

    /** Writes {@code image_tower.onnx} and {@code text_tower.onnx} into {@code dir}. */
    public List<Path> exportTowers(Path dir, Map<String, Tensor> parameters, Map<String, String> provenance) throws IOException {
        return TowerExport.write(dir, model, parameters, test.captions(), ContrastiveEvaluation.prompts(), provenance);
    }
}
