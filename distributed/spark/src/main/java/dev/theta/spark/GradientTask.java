package dev.theta.spark;

import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

import java.util.LinkedHashMap;
import java.util.Map;

/** The task of one partition in one step: its shard's gradient sums for the broadcast parameters. */
final class GradientTask implements Function<Shard, GradientSums> {
    private static final long serialVersionUID = 1L;
    private final String run;
    private final ModelSource source;
    private final LinkedHashMap<String, int[]> shapes;
    private final Broadcast<StepWork> work;

    GradientTask(String run, ModelSource source, Map<String, int[]> shapes, Broadcast<StepWork> work) {
        this.run = run;
        this.source = source;
        this.shapes = new LinkedHashMap<>(shapes);
        this.work = work;
    }

    @Override
    public GradientSums call(Shard shard) {
        return ExecutorPrograms.gradients(run, source, shapes, shard, work.value());
    }
}
