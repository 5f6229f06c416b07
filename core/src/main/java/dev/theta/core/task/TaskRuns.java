package dev.theta.core.task;

import dev.theta.api.tensor.Tensor;
import dev.theta.core.run.EventLog;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.training.EpochMetrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The task extensions that take part in one run, in discovery order. */
public final class TaskRuns {
    private final List<TaskRun> runs;

    private TaskRuns(List<TaskRun> runs) {
        this.runs = List.copyOf(runs);
    }

    /** Asks every {@link TaskExtension} on the class path whether {@code context} is its run. */
    public static TaskRuns discover(TaskContext context) {
        List<TaskRun> runs = new ArrayList<>();
        for (TaskExtension e : ServiceLoader.load(TaskExtension.class, TaskExtension.class.getClassLoader())) {
            e.forRun(context).ifPresent(runs::add);
        }
        return new TaskRuns(runs);
    }

    public EpochMetrics evaluated(EpochMetrics metrics, Map<String, Tensor> parameters, EventLog events) {
        EpochMetrics m = metrics;
        for (TaskRun r : runs) {
            m = r.evaluated(m, parameters, events);
        }
        return m;
    }

    public void export(RunDirectory directory, Map<String, Tensor> parameters, Map<String, String> metadata) throws IOException {
        for (TaskRun r : runs) {
            r.export(directory, parameters, metadata);
        }
    }
}
