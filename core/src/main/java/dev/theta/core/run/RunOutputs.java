package dev.theta.core.run;

import com.google.inject.Inject;
import dev.theta.core.task.TaskRuns;
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
    private final TaskRuns tasks;

    @Inject
    public RunOutputs(RunDirectory runDirectory, Provenance provenance, ModelExport export, TaskRuns tasks) {
        this.runDirectory = runDirectory;
        this.provenance = provenance;
        this.export = export;
        this.tasks = tasks;
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
                tasks.export(runDirectory, result.parameters(), metadata);
            }
            return new Written(metadata, model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
