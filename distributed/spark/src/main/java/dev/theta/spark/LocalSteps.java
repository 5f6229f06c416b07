package dev.theta.spark;

import dev.theta.api.spi.Executable;
import dev.theta.api.train.SplitStep;
import dev.theta.api.train.TrainingProgram;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The task of one partition in one round of {@link ParameterAveraging}: from the broadcast parameters and optimizer
 * state, the local steps of the round on this shard's rows, each the gradient graph on the step's share and the
 * update graph with that share's sums, exactly as a sync step with this shard alone. A share with no rows is skipped.
 */
final class LocalSteps implements Function<Shard, LocalSteps.Outcome> {
    private static final long serialVersionUID = 1L;

    /**
     * What the driver broadcasts for one round: parameters and optimizer state (keyed by update graph input name) and,
     * per local step k, each shard's rows {@code rows[k][shard]} with the step's number and learning rate.
     */
    record Round(Map<String, float[]> carried, int[][][] rows, long[] steps, float[] learningRates) implements Serializable {
    }

    /**
     * One shard's parameters and state after its local steps, the Σ weight of the rows it visited (its averaging
     * weight) and, per local step, its share's Σ loss and Σ weight at the parameters before that step.
     */
    record Outcome(int shard, double weight, Map<String, float[]> carried, float[] lossSums, float[] weightSums)
            implements Serializable {
    }

    private final String run;
    private final ModelSource source;
    private final LinkedHashMap<String, int[]> shapes;
    private final double clipGradNorm;
    private final Broadcast<Round> round;

    LocalSteps(String run, ModelSource source, Map<String, int[]> shapes, double clipGradNorm, Broadcast<Round> round) {
        this.run = run;
        this.source = source;
        this.shapes = new LinkedHashMap<>(shapes);
        this.clipGradNorm = clipGradNorm;
        this.round = round;
    }

    @Override
    public Outcome call(Shard shard) {
        Round work = round.value();
        int k = work.rows().length;
        float[] lossSums = new float[k];
        float[] weightSums = new float[k];
        double weight = 0;
        Executable update = ExecutorPrograms.borrow(run, source, shapes, ExecutorPrograms.UPDATE, clipGradNorm);
        try {
            work.carried().forEach((name, value) -> System.arraycopy(value, 0, update.input(name).floats(), 0, value.length));
            for (int i = 0; i < k; i++) {
                int[] rows = work.rows()[i][shard.index()];
                if (rows.length == 0) {
                    continue;
                }
                Executable gradient = ExecutorPrograms.borrow(run, source, shapes, rows.length, clipGradNorm);
                try {
                    for (String name : shapes.keySet()) {
                        float[] theta = update.input(name).floats();
                        System.arraycopy(theta, 0, gradient.input(name).floats(), 0, theta.length);
                    }
                    shard.gather(rows, gradient.input(TrainingProgram.FEATURES), gradient.input(TrainingProgram.TARGETS));
                    gradient.run();
                    for (String name : shapes.keySet()) {
                        float[] g = gradient.output(SplitStep.gradient(name)).floats();
                        System.arraycopy(g, 0, update.input(SplitStep.gradient(name)).floats(), 0, g.length);
                    }
                    lossSums[i] = gradient.output(TrainingProgram.LOSS_SUM).floats()[0];
                    weightSums[i] = gradient.output(TrainingProgram.WEIGHT_SUM).floats()[0];
                } finally {
                    ExecutorPrograms.giveBack(run, rows.length, gradient);
                }
                update.input(TrainingProgram.WEIGHT_SUM).floats()[0] = weightSums[i];
                update.input(TrainingProgram.LEARNING_RATE).floats()[0] = work.learningRates()[i];
                update.input(TrainingProgram.STEP).floats()[0] = work.steps()[i];
                update.run();
                weight += weightSums[i];
            }
            Map<String, float[]> carried = new LinkedHashMap<>();
            work.carried().keySet().forEach(name -> carried.put(name, update.input(name).floats().clone()));
            return new Outcome(shard.index(), weight, carried, lossSums, weightSums);
        } finally {
            ExecutorPrograms.giveBack(run, ExecutorPrograms.UPDATE, update);
        }
    }
}
