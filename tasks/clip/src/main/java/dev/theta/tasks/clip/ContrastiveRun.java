package dev.theta.tasks.clip;

import dev.theta.api.spi.Backend;
import dev.theta.api.spi.DualEncoder;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.tensor.Tensor;
import dev.theta.tasks.clip.ImageTextDataset;
import dev.theta.core.run.EventLog;
import dev.theta.core.training.EpochMetrics;
import dev.theta.core.training.TrainTestData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a training run of a dual encoder on image-text data adds: zero-shot and retrieval metrics after every epoch,
 * and the two ONNX towers beside the run's model.
 */
public final class ContrastiveRun {
    private static final Logger LOG = LoggerFactory.getLogger(ContrastiveRun.class);

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

    /**
     * The test metrics of an epoch with zero-shot accuracy as their accuracy (a clip loss makes no labels), after
     * logging the retrieval recalls and appending them to the run's events.
     */
    public EpochMetrics report(EpochMetrics test, Map<String, Tensor> parameters, EventLog events) {
        ContrastiveMetrics cm = evaluate(parameters);
        List<Object> event = new ArrayList<>(List.of("epoch", test.epoch()));
        cm.asMap().forEach((key, value) -> {
            event.add(key);
            event.add(value);
        });
        events.append("contrastive", event.toArray());
        LOG.info(String.format(Locale.ROOT, "epoch %d zero-shot accuracy %.4f, image->text R@1 %.3f R@5 %.3f, text->image R@1 %.3f R@5 %.3f",
                test.epoch(), cm.zeroShotAccuracy(), cm.imageToTextRecall1(), cm.imageToTextRecall5(), cm.textToImageRecall1(),
                cm.textToImageRecall5()));
        return new EpochMetrics(test.epoch(), test.split(), test.loss(), cm.zeroShotAccuracy(), test.examples(),
                test.seconds(), test.classification());
    }

    /** Writes {@code image_tower.onnx} and {@code text_tower.onnx} into {@code dir}. */
    public List<Path> exportTowers(Path dir, Map<String, Tensor> parameters, Map<String, String> provenance) throws IOException {
        return TowerExport.write(dir, model, parameters, test.captions(), ContrastiveEvaluation.prompts(), provenance);
    }
}
