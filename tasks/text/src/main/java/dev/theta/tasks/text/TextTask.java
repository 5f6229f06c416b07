package dev.theta.tasks.text;

import dev.theta.api.tensor.Tensor;
import dev.theta.core.run.EventLog;
import dev.theta.core.task.TaskContext;
import dev.theta.core.task.TaskExtension;
import dev.theta.core.task.TaskRun;
import dev.theta.core.training.EpochMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/** A language model's part in a run on next-token data: every held-out loss also in bits per token and perplexity. */
public final class TextTask implements TaskExtension {
    private static final Logger LOG = LoggerFactory.getLogger(TextTask.class);

    @Override
    public Optional<TaskRun> forRun(TaskContext run) {
        if (!PerTokenLoss.appliesTo(run.data().train().spec())) {
            return Optional.empty();
        }
        return Optional.of(new TaskRun() {
            @Override
            public EpochMetrics evaluated(EpochMetrics metrics, Map<String, Tensor> parameters, EventLog events) {
                // The epoch (or iteration) is on the loop's summary line that follows.
                LOG.info("{} loss {}", metrics.split(), new PerTokenLoss(metrics.loss()));
                return metrics;
            }
        });
    }
}
