package dev.theta.spark;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.spi.Reduction;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.SplitStep;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.core.engine.StepEngine;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver's half of synchronous data-parallel SGD for one run, a step at a time: the training set in cached
 * shards ({@link TrainingShards}), and the compiled {@linkplain SplitStep#updateGraph update graph},
 * whose carried inputs hold the parameters and optimizer state. A step broadcasts the parameters with each shard's
 * share of the batch, lets every partition compute its {@linkplain SplitStep#gradientGraph gradient sums}, adds the
 * partial sums in shard order (never arrival order) and runs the update. {@link SyncSgd} loops over it; the
 * {@code spark} engine of the config path runs it under the local training loop.
 */
final class SyncSteps implements AutoCloseable {
    private final JavaSparkContext spark;
    private final ModelSource source;
    private final Map<String, Tensor> parameters;
    private final Map<String, int[]> shapes = new LinkedHashMap<>();
    private final boolean mean;
    private final boolean clipping;
    private final Graph update;
    private final Executable exec;
    private final String run;
    private final int shards;
    private final int[] owner;
    private final int[] local;
    private final TrainingShards data;
    private final boolean ownsData;

    /**
     * On {@code train} cut into {@code partitions} cached shards of contiguous rows, dropped again by {@link #close}.
     *
     * @param run        the id of this run's programs in executor JVMs ({@link ExecutorPrograms})
     * @param parameters the initial parameters (keyed by graph input name): the update graph's initial state
     */
    SyncSteps(JavaSparkContext spark, String run, ModelSource source, Dataset train, int partitions, Loss loss,
              Optimizer optimizer, Map<String, Tensor> parameters, double clipGradNorm) {
        this(spark, run, source, TrainingShards.of(spark, train, partitions), true, loss, optimizer, parameters, clipGradNorm);
    }

    /** On shards cached already (a DataFrame's, {@link DataFrameShards}), which stay cached after {@link #close}. */
    SyncSteps(JavaSparkContext spark, String run, ModelSource source, TrainingShards train, Loss loss,
              Optimizer optimizer, Map<String, Tensor> parameters, double clipGradNorm) {
        this(spark, run, source, train, false, loss, optimizer, parameters, clipGradNorm);
    }

    private SyncSteps(JavaSparkContext spark, String run, ModelSource source, TrainingShards train, boolean ownsData,
                      Loss loss, Optimizer optimizer, Map<String, Tensor> parameters, double clipGradNorm) {
        this.spark = spark;
        this.run = run;
        this.source = source;
        this.parameters = parameters;
        parameters.forEach((name, value) -> shapes.put(name, value.shape().dims()));
        this.mean = loss.reduction() == Reduction.MEAN;
        this.clipping = clipGradNorm > 0;
        this.update = SplitStep.updateGraph(loss, optimizer, parameters, clipGradNorm);
        int[] sizes = train.sizes();
        this.shards = sizes.length;
        this.owner = new int[train.size()];
        this.local = new int[train.size()];
        owners(sizes, owner, local);
        this.data = train;
        this.ownsData = ownsData;
        this.exec = new CpuBackend(1).compile(update, 1);
        update.initialValues().forEach((name, value) -> exec.input(name).copyFrom(value));
    }

    /** For each row (numbered shard by shard), the shard that holds it and its row within that shard. */
    static void owners(int[] sizes, int[] owner, int[] local) {
        int r = 0;
        for (int s = 0; s < sizes.length; s++) {
            for (int i = 0; i < sizes[s]; i++, r++) {
                owner[r] = s;
                local[r] = i;
            }
        }
    }

    /** The update graph: its carries name the state {@link #state()} holds. */
    Graph update() {
        return update;
    }

    /** The compiled update graph, whose carried inputs hold the parameters and optimizer state between steps. */
    Executable state() {
        return exec;
    }

    /** One step on examples {@code order[from, from + count)} of the training set. */
    StepEngine.Outcome step(int[] order, int from, int count, long step, float lr) {
        Map<String, float[]> values = new LinkedHashMap<>();
        parameters.keySet().forEach(name -> values.put(name, exec.input(name).floats().clone()));
        Broadcast<StepWork> broadcast = spark.broadcast(new StepWork(values, shares(order, from, count, owner, local, shards)));
        List<GradientSums> sums;
        try {
            sums = new ArrayList<>(data.rdd().map(new GradientTask(run, source, shapes, broadcast)).collect());
        } finally {
            broadcast.destroy();
        }
        return apply(sums, step, lr);
    }

    /** Each shard's local rows among examples {@code order[from, from + count)}, in batch order. */
    static int[][] shares(int[] order, int from, int count, int[] owner, int[] local, int shards) {
        int[] sizes = new int[shards];
        for (int i = from; i < from + count; i++) {
            sizes[owner[order[i]]]++;
        }
        int[][] rows = new int[shards][];
        for (int s = 0; s < shards; s++) {
            rows[s] = new int[sizes[s]];
        }
        int[] filled = new int[shards];
        for (int i = from; i < from + count; i++) {
            int s = owner[order[i]];
            rows[s][filled[s]++] = local[order[i]];
        }
        return rows;
    }

    /** Adds the shards' sums in shard order and runs the update; the loss is the batch's as the step graph reports it. */
    private StepEngine.Outcome apply(List<GradientSums> sums, long step, float lr) {
        sums.sort(Comparator.comparingInt(GradientSums::shard));
        float lossSum = 0;
        float weightSum = 0;
        long correct = 0;
        for (String name : parameters.keySet()) {
            Arrays.fill(exec.input(SplitStep.gradient(name)).floats(), 0f);
        }
        for (GradientSums s : sums) {
            if (s.gradients() == null) {
                continue;
            }
            lossSum += s.lossSum();
            weightSum += s.weightSum();
            correct += s.correct();
            for (Map.Entry<String, float[]> g : s.gradients().entrySet()) {
                float[] total = exec.input(SplitStep.gradient(g.getKey())).floats();
                float[] part = g.getValue();
                for (int i = 0; i < total.length; i++) {
                    total[i] += part[i];
                }
            }
        }
        exec.input(TrainingProgram.WEIGHT_SUM).floats()[0] = weightSum;
        exec.input(TrainingProgram.LEARNING_RATE).floats()[0] = lr;
        exec.input(TrainingProgram.STEP).floats()[0] = step;
        exec.run();
        float gradNorm = clipping ? exec.output(TrainingProgram.GRAD_NORM).floats()[0] : Float.NaN;
        return new StepEngine.Outcome(mean ? lossSum / weightSum : lossSum, lossSum, weightSum, correct, gradNorm);
    }

    @Override
    public void close() {
        try {
            if (ownsData) {
                data.close();
            }
            ExecutorPrograms.release(run);
        } finally {
            exec.close();
        }
    }
}
