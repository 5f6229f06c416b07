package dev.theta.tasks.clip;

import dev.theta.api.tensor.Tensor;
import dev.theta.core.run.EventLog;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.task.TaskContext;
import dev.theta.core.task.TaskExtension;
import dev.theta.core.task.TaskRun;
import dev.theta.core.training.EpochMetrics;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** CLIP's part in a run of a dual encoder on image-text pairs: contrastive validation and test metrics and the two towers. */
public final class ClipTask implements TaskExtension {
    @Override
    public Optional<TaskRun> forRun(TaskContext run) {
        return ContrastiveRun.of(run.hypothesis(), run.data(), run.backend()).map(contrastive -> new TaskRun() {
            @Override
            public EpochMetrics evaluated(EpochMetrics metrics, Map<String, Tensor> parameters, EventLog events) {
                return contrastive.report(metrics, parameters, events);
            }

            @Override
            public void export(RunDirectory directory, Map<String, Tensor> parameters, Map<String, String> metadata) throws IOException {
                directory.record(TowerExport.IMAGE_TOWER);
                directory.record(TowerExport.TEXT_TOWER);
                contrastive.exportTowers(directory.path(), parameters, metadata);
            }
        });
    }
}
