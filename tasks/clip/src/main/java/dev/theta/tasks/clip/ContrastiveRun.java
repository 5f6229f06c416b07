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
 * What a training run of a dual encoder on image-text data adds: zero-shot and retrieval metrics of the validation
 * and test splits after every epoch, and the two ONNX towers beside the run's model.
 */
public final class ContrastiveRun {
    private static final Logger LOG = LoggerFactory.getLogger(ContrastiveRun.class);

    private final DualEncoder model;
    private final ImageTextDataset test;
    private final ImageTextDataset validation;
    private final Backend backend;

    private ContrastiveRun(DualEncoder model, ImageTextDataset test, ImageTextDataset validation, Backend backend) {
        this.model = model;
        this.test = test;
        this.validation = validation;
        this.backend = backend;
    }

    /**
     * Present when the hypothesis is a dual encoder and the test split holds image-text pairs. A validation split
     * carved from the training pairs (data.validation-fraction) holds their rows without their captions' tokenizer;
     * every split shares the train templates' vocabulary, so the test split's lends it.
     */
    public static Optional<ContrastiveRun> of(Hypothesis hypothesis, TrainTestData data, Backend backend) {
        if (hypothesis instanceof DualEncoder dual && data.test() instanceof ImageTextDataset pairs) {
            ImageTextDataset validation = switch (data.validation()) {
                case null -> null;
                case ImageTextDataset v -> v;
                case dev.theta.api.data.InMemoryDataset rows when rows.spec().equals(pairs.spec()) ->
                        new ImageTextDataset(rows, pairs.pixels(), pairs.captions());
                default -> null;
            };
            return Optional.of(new ContrastiveRun(dual, pairs, validation, backend));
        }
        return Optional.empty();
    }

    /** The test metrics with {@code parameters} keyed by graph input name. */
    public ContrastiveMetrics evaluate(Map<String, Tensor> parameters) {
        return ContrastiveEvaluation.evaluate(backend, model, parameters, test);
    }

    /**
     * The metrics of a test or validation evaluation with zero-shot accuracy as their accuracy (a clip loss makes no
     * labels), after logging the retrieval recalls and appending them to the run's events; other splits as they are.
     */
    public EpochMetrics report(EpochMetrics metrics, Map<String, Tensor> parameters, EventLog events) {
        ImageTextDataset pairs = switch (metrics.split()) {
            case "test" -> test;
            case "validation" -> validation;
            default -> null;
        };
        if (pairs == null) {
            return metrics;
        }
        ContrastiveMetrics cm = ContrastiveEvaluation.evaluate(backend, model, parameters, pairs);
        EpochMetrics test = metrics;
        List<Object> event = new ArrayList<>(List.of("epoch", test.epoch(), "split", test.split()));
        cm.asMap().forEach((key, value) -> {
            event.add(key);
            event.add(value);
        });
        events.append("contrastive", event.toArray());
        LOG.info(String.format(Locale.ROOT, "epoch %d %s zero-shot accuracy %.4f, image->text R@1 %.3f R@5 %.3f, text->image R@1 %.3f R@5 %.3f",
                test.epoch(), test.split(), cm.zeroShotAccuracy(), cm.imageToTextRecall1(), cm.imageToTextRecall5(), cm.textToImageRecall1(),
                cm.textToImageRecall5()));
        return new EpochMetrics(test.epoch(), test.split(), test.loss(), cm.zeroShotAccuracy(), test.examples(),
                test.seconds(), test.classification());
    }

    /** Writes {@code image_tower.onnx} and {@code text_tower.onnx} into {@code dir}. */
    public List<Path> exportTowers(Path dir, Map<String, Tensor> parameters, Map<String, String> provenance) throws IOException {
        return TowerExport.write(dir, model, parameters, test.captions(), ContrastiveEvaluation.prompts(), provenance);
    }
}
