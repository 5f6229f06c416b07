package dev.theta.spark;

import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.LearningRateSchedule;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.core.TrainingListener;
import dev.theta.core.training.Shuffler;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.LinkedHashMap;
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
        ModelPlugins plugins = source.build();
        TrainingProgram program = TrainingProgram.build(plugins.data(), plugins.hypothesis(), plugins.loss(),
                plugins.optimizer(), settings.seed(), settings.clipGradNorm());
        Map<String, Tensor> initial = program.initialParameters();
        int n = train.size();
        int batch = Math.min(settings.batchSize(), n);
        int stepsPerEpoch = (n + batch - 1) / batch;
        float[] losses = new float[stepsPerEpoch * settings.epochs()];
        Shuffler shuffler = new Shuffler(settings.seed(), n);
        long step = 0;
        try (SyncSteps steps = new SyncSteps(spark, run, source, train, plugins.loss(), plugins.optimizer(), initial,
                settings.clipGradNorm())) {
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                if (settings.shuffle()) {
                    shuffler.shuffle();
                }
                int[] order = shuffler.order();
                for (int from = 0; from < n; from += batch) {
                    step++;
                    float loss = steps.step(order, from, Math.min(batch, n - from), step, (float) schedule.at(step)).loss();
                    losses[(int) step - 1] = loss;
                    listener.onStep(step, epoch, loss, schedule.at(step));
                }
            }
            Executable exec = steps.state();
            Map<String, Tensor> params = new LinkedHashMap<>();
            initial.keySet().forEach(name -> params.put(name, exec.input(name).copy()));
            Map<String, Tensor> carried = new LinkedHashMap<>();
            steps.update().carries().values().forEach(name -> carried.put(name, exec.input(name).copy()));
            return new Result(params, carried, losses);
        }
    }

    /** The id of this trainer's programs in executor JVMs ({@link ExecutorPrograms}). */
    String run() {
        return run;
    }
}
