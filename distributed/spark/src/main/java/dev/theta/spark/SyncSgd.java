package dev.theta.spark;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.LearningRateSchedule;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.SplitStep;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.core.TrainingListener;
import dev.theta.core.training.Shuffler;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Synchronous data-parallel SGD on Spark, Spark MLlib's pattern made exact. The driver owns the parameters and the
 * optimizer state (the {@linkplain TrainingProgram#updateGraph update graph}); the training set lives in
 * {@code partitions} cached shards of contiguous rows. Each step visits the examples the local loop would (the
 * {@link Shuffler} of the same seed, batches of the same size), broadcasts the parameters with each shard's share of
 * the batch, lets every partition compute its {@linkplain TrainingProgram#gradientGraph gradient sums} with the CPU
 * backend, adds the partial sums in shard order (never arrival order) and applies the update on the driver. So a
 * run equals the local one up to the order of float summation within a batch.
 */
public final class SyncSgd {
    /**
     * @param partitions    shards of the training set (Spark partitions)
     * @param batchSize     the global batch: examples per step over all shards
     * @param epochs        passes over the training set
     * @param shuffle       reshuffle the order every epoch, as {@code train.shuffle}
     * @param seed          initial parameters and shuffles, as {@code seed}
     * @param clipGradNorm  {@code train.clip-grad-norm} (0: none)
     */
    public record Settings(int partitions, int batchSize, int epochs, boolean shuffle, long seed, double clipGradNorm) {
        public Settings {
            if (partitions < 1) {
                throw new IllegalArgumentException("distributed.partitions = " + partitions + ": must be in [1, inf)");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("train.batch-size = " + batchSize + ": must be in [1, inf)");
            }
        }
    }

    /** The trained parameters and optimizer state (keyed by graph input name) and the loss of every step. */
    public record Result(Map<String, Tensor> parameters, Map<String, Tensor> carried, float[] losses) {
    }

    private final JavaSparkContext spark;
    private final ModelSource source;
    private final Settings settings;
    private final LearningRateSchedule schedule;
    private final TrainingListener listener;
    private final String run = UUID.randomUUID().toString();

    public SyncSgd(JavaSparkContext spark, ModelSource source, Settings settings, LearningRateSchedule schedule,
                   TrainingListener listener) {
        this.spark = spark;
        this.source = source;
        this.settings = settings;
        this.schedule = schedule;
        this.listener = listener;
    }

    /** Trains on {@code train}, cut into {@code partitions} shards of contiguous rows, from the seeded initial parameters. */
    public Result train(Dataset train) {
        try (TrainingShards shards = TrainingShards.of(spark, train, settings.partitions())) {
            return train(shards);
        }
    }

    /**
     * Trains on cached shards (a DataFrame's: {@link DataFrameShards}) from the seeded initial parameters; rows are
     * numbered as {@link TrainingShards} says, so the same rows in the same order give the same run.
     * {@code settings.partitions()} is unused: the shards are the partitions.
     */
    public Result train(TrainingShards train) {
        DriverPrograms programs = DriverPrograms.of(source, settings);
        Map<String, Tensor> initial = programs.initial();
        Graph update = programs.update();
        Map<String, int[]> shapes = programs.shapes();
        boolean mean = programs.mean();

        int n = train.size();
        int[] sizes = train.sizes();
        int p = sizes.length;
        int[] owner = new int[n];
        int[] local = new int[n];
        owners(sizes, owner, local);
        JavaRDD<Shard> data = train.rdd();
        int batch = Math.min(settings.batchSize(), n);
        int stepsPerEpoch = (n + batch - 1) / batch;
        float[] losses = new float[stepsPerEpoch * settings.epochs()];
        Shuffler shuffler = new Shuffler(settings.seed(), n);
        long step = 0;
        try (Executable exec = new CpuBackend(1).compile(update, 1)) {
            update.initialValues().forEach((name, value) -> exec.input(name).copyFrom(value));
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                if (settings.shuffle()) {
                    shuffler.shuffle();
                }
                int[] order = shuffler.order();
                for (int from = 0; from < n; from += batch) {
                    int count = Math.min(batch, n - from);
                    step++;
                    StepWork work = new StepWork(parameters(exec, initial), shares(order, from, count, owner, local, p));
                    Broadcast<StepWork> broadcast = spark.broadcast(work);
                    List<GradientSums> sums;
                    try {
                        sums = new ArrayList<>(data.map(new GradientTask(run, source, shapes, broadcast)).collect());
                    } finally {
                        broadcast.destroy();
                    }
                    float loss = apply(exec, initial, sums, step, mean);
                    losses[(int) step - 1] = loss;
                    listener.onStep(step, epoch, loss, schedule.at(step));
                }
            }
            Map<String, Tensor> params = new LinkedHashMap<>();
            initial.keySet().forEach(name -> params.put(name, exec.input(name).copy()));
            Map<String, Tensor> carried = new LinkedHashMap<>();
            update.carries().values().forEach(name -> carried.put(name, exec.input(name).copy()));
            return new Result(params, carried, losses);
        } finally {
            ExecutorPrograms.release(run);
        }
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

    /** The id of this trainer's programs in executor JVMs ({@link ExecutorPrograms}). */
    String run() {
        return run;
    }

    private static Map<String, float[]> parameters(Executable exec, Map<String, Tensor> names) {
        Map<String, float[]> values = new LinkedHashMap<>();
        names.keySet().forEach(name -> values.put(name, exec.input(name).floats().clone()));
        return values;
    }

    /** Each shard's local rows among examples {@code order[from, from + count)}, in batch order. */
    static int[][] shares(int[] order, int from, int count, int[] owner, int[] local, int p) {
        int[] sizes = new int[p];
        for (int i = from; i < from + count; i++) {
            sizes[owner[order[i]]]++;
        }
        int[][] rows = new int[p][];
        for (int s = 0; s < p; s++) {
            rows[s] = new int[sizes[s]];
        }
        int[] filled = new int[p];
        for (int i = from; i < from + count; i++) {
            int s = owner[order[i]];
            rows[s][filled[s]++] = local[order[i]];
        }
        return rows;
    }

    /** Adds the shards' sums in shard order, runs the update; returns the batch's loss as the step graph reports it. */
    private float apply(Executable exec, Map<String, Tensor> names, List<GradientSums> sums, long step, boolean mean) {
        sums.sort(Comparator.comparingInt(GradientSums::shard));
        float lossSum = 0;
        float weightSum = 0;
        for (String name : names.keySet()) {
            Arrays.fill(exec.input(SplitStep.gradient(name)).floats(), 0f);
        }
        for (GradientSums s : sums) {
            if (s.gradients() == null) {
                continue;
            }
            lossSum += s.lossSum();
            weightSum += s.weightSum();
            for (Map.Entry<String, float[]> g : s.gradients().entrySet()) {
                float[] total = exec.input(SplitStep.gradient(g.getKey())).floats();
                float[] part = g.getValue();
                for (int i = 0; i < total.length; i++) {
                    total[i] += part[i];
                }
            }
        }
        exec.input(TrainingProgram.WEIGHT_SUM).floats()[0] = weightSum;
        exec.input(TrainingProgram.LEARNING_RATE).floats()[0] = (float) schedule.at(step);
        exec.input(TrainingProgram.STEP).floats()[0] = step;
        exec.run();
        return mean ? lossSum / weightSum : lossSum;
    }
}
