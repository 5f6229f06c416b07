package dev.theta.core.run;

import com.google.inject.Inject;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.Hypothesis;
import dev.theta.core.contrastive.ContrastiveRun;
import dev.theta.core.contrastive.TowerExport;
import dev.theta.core.training.TrainTestData;
import dev.theta.core.training.TrainingResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** What a finished run writes beside its checkpoints: {@code provenance.json}, the model and any extra exports. */
public final class RunOutputs {
    private final RunDirectory runDirectory;
    private final Provenance provenance;
    private final ModelExport export;
    private final Hypothesis hypothesis;
    private final TrainTestData data;
    private final Backend backend;

    @Inject
    public RunOutputs(RunDirectory runDirectory, Provenance provenance, ModelExport export, Hypothesis hypothesis,
                      TrainTestData data, Backend backend) {
        this.runDirectory = runDirectory;
        this.provenance = provenance;
        this.export = export;
        this.hypothesis = hypothesis;
        this.data = data;
        this.backend = backend;
    }

    /** The metadata written and the model file (empty when export is off). */
    public record Written(Map<String, String> metadata, Optional<Path> model) {
    }

    public Written write(TrainingResult result) {
        Map<String, String> metadata = provenance.metadata(result);
        try {
            runDirectory.writeAtomically(Provenance.FILE, Provenance.toJson(metadata));
            Optional<Path> model = export.write(result.parameters(), metadata);
            if (model.isPresent()) {
                exportTowers(result, metadata);
            }
            return new Written(metadata, model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A dual encoder's image and text towers go beside its model, so zero-shot classification needs ONNX only. */
    private void exportTowers(TrainingResult result, Map<String, String> metadata) throws IOException {
        var contrastive = ContrastiveRun.of(hypothesis, data, backend);
        if (contrastive.isPresent()) {
            runDirectory.record(TowerExport.IMAGE_TOWER);
            runDirectory.record(TowerExport.TEXT_TOWER);
            contrastive.get().exportTowers(runDirectory.path(), result.parameters(), metadata);
        }
    }
}
