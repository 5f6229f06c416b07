package dev.theta.spark;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.LearningRateSchedule;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.SplitStep;
import dev.theta.core.TrainingListener;
import dev.theta.core.training.Shuffler;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Data-parallel training by parameter averaging, for throughput: one Spark job per round of K local steps instead
 * of one per step. Each round the driver broadcasts the parameters and optimizer state; every partition runs K
 * optimizer steps on its own shard (step k on its share of the k-th global batch of the round, the batches
 * {@link SyncSgd} would use), with the gradient and update graphs of {@link SplitStep}; the driver then sets
 * parameters <em>and optimizer state</em> to their average over partitions, weighted by the Σ weight of the rows each
 * visited (the example count for an unweighted loss), added in partition order. Rounds do not cross epochs.
 *
 * <p>Not sync SGD: a partition's step k follows its own gradients only. For K = 1, plain SGD and a mean loss the
 * weighted average of θ − lr·g_s/w_s is θ − lr·Σg_s/Σw_s, sync SGD's step; with K &gt; 1, momentum or Adam (whose
 * moments are averaged, not recomputed) or clipping (of each partition's gradient) it differs.
 */
public final class ParameterAveraging {
    private final JavaSparkContext spark;
    private final ModelSource source;
    private final SyncSgd.Settings settings;
    private final int localSteps;
    private final LearningRateSchedule schedule;
    private final TrainingListener listener;
    private final String run = UUID.randomUUID().toString();

    /** @param localSteps K, optimizer steps per partition between averages ({@code distributed.local-steps}) */
    public ParameterAveraging(JavaSparkContext spark, ModelSource source, SyncSgd.Settings settings, int localSteps,
                              LearningRateSchedule schedule, TrainingListener listener) {
        if (localSteps < 1) {
            throw new IllegalArgumentException("distributed.local-steps = " + localSteps + ": must be in [1, inf)");
        }
        this.spark = spark;
        this.source = source;
        this.settings = settings;
        this.localSteps = localSteps;
        this.schedule = schedule;
        this.listener = listener;
    }

    /** Trains on {@code train} cut into {@code partitions} shards of contiguous rows. */
    public SyncSgd.Result train(Dataset train) {
        try (TrainingShards shards = TrainingShards.of(spark, train, settings.partitions())) {
            return train(shards);
        }
    }

    /**
     * Trains on cached shards from the seeded initial parameters; the loss of each global step is the partitions'
     * loss before their local step, summed over them as the step graph would report it.
     */
    public SyncSgd.Result train(TrainingShards train) {
        DriverPrograms programs = DriverPrograms.of(source, settings);
        Map<String, Tensor> initial = programs.initial();
        Graph update = programs.update();
        Map<String, int[]> shapes = programs.shapes();
        Map<String, float[]> carried = new LinkedHashMap<>();
        update.carries().values().forEach(name -> carried.put(name, update.initialValues().get(name).floats().clone()));
        boolean mean = programs.mean();

        int n = train.size();
        int[] sizes = train.sizes();
        int[] owner = new int[n];
        int[] local = new int[n];
        SyncSteps.owners(sizes, owner, local);
        int batch = Math.min(settings.batchSize(), n);
        int stepsPerEpoch = (n + batch - 1) / batch;
        float[] losses = new float[stepsPerEpoch * settings.epochs()];
        Shuffler shuffler = new Shuffler(settings.seed(), n);
        long step = 0;
        try {
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                if (settings.shuffle()) {
                    shuffler.shuffle();
                }
                int[] order = shuffler.order();
                for (int first = 0; first < stepsPerEpoch; first += localSteps) {
                    int k = Math.min(localSteps, stepsPerEpoch - first);
                    int[][][] rows = new int[k][][];
                    long[] steps = new long[k];
                    float[] rates = new float[k];
                    for (int i = 0; i < k; i++) {
                        int from = (first + i) * batch;
                        rows[i] = SyncSteps.shares(order, from, Math.min(batch, n - from), owner, local, sizes.length);
                        steps[i] = step + i + 1;
                        rates[i] = (float) schedule.at(steps[i]);
                    }
                    Broadcast<LocalSteps.Round> round = spark.broadcast(new LocalSteps.Round(carried, rows, steps, rates));
                    List<LocalSteps.Outcome> outcomes;
                    try {
                        outcomes = new ArrayList<>(train.rdd().map(new LocalSteps(run, source, shapes, settings.clipGradNorm(), round)).collect());
                    } finally {
                        round.destroy();
                    }
                    outcomes.sort(Comparator.comparingInt(LocalSteps.Outcome::shard));
                    carried.putAll(average(List.copyOf(carried.keySet()), outcomes));
                    for (int i = 0; i < k; i++) {
                        step++;
                        float lossSum = 0;
                        float weightSum = 0;
                        for (LocalSteps.Outcome o : outcomes) {
                            lossSum += o.lossSums()[i];
                            weightSum += o.weightSums()[i];
                        }
                        float loss = mean ? lossSum / weightSum : lossSum;
                        losses[(int) step - 1] = loss;
                        listener.onStep(step, epoch, loss, rates[i]);
                    }
                }
            }
        } finally {
            ExecutorPrograms.release(run);
        }
        Map<String, Tensor> params = new LinkedHashMap<>();
        initial.forEach((name, value) -> params.put(name, Tensor.of(value.shape(), carried.get(name))));
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String name : update.carries().values()) {
            state.put(name, Tensor.of(update.initialValues().get(name).shape(), carried.get(name)));
        }
        return new SyncSgd.Result(params, state, losses);
    }

    /** Each carried value's average over the outcomes (sorted by shard), weighted by their weights, in double. */
    private static Map<String, float[]> average(List<String> names, List<LocalSteps.Outcome> outcomes) {
        double total = 0;
        for (LocalSteps.Outcome o : outcomes) {
            total += o.weight();
        }
        Map<String, float[]> averaged = new LinkedHashMap<>();
        for (String name : names) {
            double[] sum = null;
            for (LocalSteps.Outcome o : outcomes) {
                float[] v = o.carried().get(name);
                if (sum == null) {
                    sum = new double[v.length];
                }
                for (int i = 0; i < v.length; i++) {
                    sum[i] += o.weight() * v[i];
                }
            }
            float[] out = new float[sum.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (sum[i] / total);
            }
            averaged.put(name, out);
        }
        return averaged;
    }

    /** The id of this trainer's programs in executor JVMs ({@link ExecutorPrograms}). */
    String run() {
        return run;
    }
}
