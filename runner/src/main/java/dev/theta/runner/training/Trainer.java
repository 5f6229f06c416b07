package dev.theta.runner.training;

import com.google.inject.Inject;
import dev.theta.api.graph.Graph;
import dev.theta.api.options.OptionException;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.LearningRateSchedule;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.runner.ExitCode;
import dev.theta.runner.UserError;
import dev.theta.runner.config.ResolvedConfig;
import dev.theta.runner.config.RunConfig;
import dev.theta.runner.model.Preprocessing;
import dev.theta.runner.run.Npz;
import dev.theta.runner.run.RunDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The training loop: epochs of seeded-shuffled minibatches through the compiled step graph, then an evaluation of
 * the test split, with metrics appended to the run directory after every epoch.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    private final RunConfig config;
    private final TrainTestData data;
    private final Hypothesis hypothesis;
    private final Loss loss;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final Backend backend;
    private final RunDirectory runDirectory;
    private final Progress progress;
    private final ResolvedConfig resolvedConfig;

    @Inject
    public Trainer(RunConfig config, TrainTestData data, Hypothesis hypothesis, Loss loss, Optimizer optimizer,
                   LearningRateSchedule schedule, Backend backend, RunDirectory runDirectory, Progress progress,
                   ResolvedConfig resolvedConfig) {
        this.config = config;
        this.data = data;
        this.hypothesis = hypothesis;
        this.loss = loss;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.backend = backend;
        this.runDirectory = runDirectory;
        this.progress = progress;
        this.resolvedConfig = resolvedConfig;
    }

    /** Trains for the configured epochs; returns the metrics of every epoch and split and the trained parameters. */
    public TrainingResult train() {
        Dataset train = data.train();
        Dataset test = data.test();
        TrainingProgram program;
        try {
            program = TrainingProgram.build(train.spec(), hypothesis, loss, optimizer, config.seed());
        } catch (IllegalArgumentException e) {
            throw new OptionException("loss.name", e.getMessage());
        }
        RunConfig.TrainSettings s = config.train();
        int n = train.size();
        int batch = Math.min(s.batchSize(), n);
        Executable step = backend.compile(program.step(), batch);
        Executable stepTail = n % batch == 0 ? null : backend.compile(program.step(), n % batch);
        int evalBatch = Math.min(s.evalBatchSize(), test.size());
        Executable eval = backend.compile(program.eval(), evalBatch);
        Executable evalTail = test.size() % evalBatch == 0 ? null : backend.compile(program.eval(), test.size() % evalBatch);
        initialise(step, program.step());

        runDirectory.create(resolvedConfig.asMap(), train.spec(), new Preprocessing(data.standardization()));
        LOG.info("run {}: {} train / {} test examples, {} parameters, writing to {}", config.name(), n, test.size(),
                parameterCount(step, program), runDirectory.path());

        Batcher trainBatches = new Batcher(train);
        Batcher testBatches = new Batcher(test);
        int k = loss.scores(train.spec());
        // Accuracy needs labels: regression (Decision.NONE) reports none.
        Decision decision = train.spec().isClassification() ? loss.decision() : Decision.NONE;
        long[] trainTargets = decision == Decision.NONE ? null : train.targets().longs();
        long[] testTargets = decision == Decision.NONE ? null : test.targets().longs();
        Random shuffler = new Random(config.seed());
        int[] order = identity(n);
        long stepCount = 0;
        List<EpochMetrics> history = new ArrayList<>();

        for (int epoch = 1; epoch <= s.epochs(); epoch++) {
            if (s.shuffle()) {
                shuffle(order, shuffler);
            }
            long start = System.nanoTime();
            double lossSum = 0;
            double weightSum = 0;
            long correct = 0;
            progress.startEpoch(epoch, s.epochs(), (n + batch - 1) / batch);
            for (int from = 0; from < n; from += batch) {
                int count = Math.min(batch, n - from);
                Executable exec = count == batch ? step : stepTail;
                if (exec != step) {
                    copyCarried(program.step(), step, exec);
                }
                trainBatches.fill(exec, order, from, count);
                double lr = schedule.at(++stepCount);
                exec.input(TrainingProgram.LEARNING_RATE).floats()[0] = (float) lr;
                exec.input(TrainingProgram.STEP).floats()[0] = stepCount;
                exec.run();
                float batchLoss = exec.output(TrainingProgram.LOSS).floats()[0];
                if (!Float.isFinite(batchLoss)) {
                    progress.endEpoch();
                    throw new UserError(ExitCode.DIVERGED, "training diverged: the loss became " + batchLoss + " at epoch " + epoch
                            + ", step " + stepCount + " (learning rate " + lr + "); try a smaller optimizer.lr");
                }
                lossSum += exec.output(TrainingProgram.LOSS_SUM).floats()[0];
                weightSum += exec.output(TrainingProgram.WEIGHT_SUM).floats()[0];
                correct += Scoring.correct(decision, exec.output(TrainingProgram.SCORES).floats(), k, trainTargets, order, from, count);
                if (exec != step) {
                    copyCarried(program.step(), exec, step);
                }
                progress.step(lossSum / weightSum, from + count);
            }
            progress.endEpoch();
            double trainSeconds = (System.nanoTime() - start) / 1e9;
            EpochMetrics trainMetrics = new EpochMetrics(epoch, "train", lossSum / weightSum, accuracy(decision, correct, n), n, trainSeconds);
            EpochMetrics testMetrics = evaluate(epoch, program, step, eval, evalTail, testBatches, testTargets, test.size(), k, decision);
            for (EpochMetrics m : List.of(trainMetrics, testMetrics)) {
                runDirectory.appendMetrics(m);
                history.add(m);
            }
            LOG.info(String.format(java.util.Locale.ROOT, "epoch %d/%d  train loss %.4f acc %.4f (%.2fs)  test loss %.4f acc %.4f",
                    epoch, s.epochs(), trainMetrics.loss(), trainMetrics.accuracy(), trainSeconds, testMetrics.loss(), testMetrics.accuracy()));
        }
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        for (String p : program.parameterInputs()) {
            parameters.put(p, step.input(p).copy());
        }
        writeParameters(parameters);
        for (Executable e : new Executable[] {step, stepTail, eval, evalTail}) {
            if (e != null) {
                e.close();
            }
        }
        return new TrainingResult(history, parameters);
    }

    private EpochMetrics evaluate(int epoch, TrainingProgram program, Executable step, Executable eval, Executable evalTail,
                                  Batcher batches, long[] targets, int n, int k, Decision decision) {
        long start = System.nanoTime();
        for (String p : program.parameterInputs()) {
            eval.input(p).copyFrom(step.input(p));
            if (evalTail != null) {
                evalTail.input(p).copyFrom(step.input(p));
            }
        }
        int batch = eval.input(TrainingProgram.FEATURES).shape().dim(0);
        double lossSum = 0;
        double weightSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            Executable exec = count == batch ? eval : evalTail;
            batches.fill(exec, null, from, count);
            exec.run();
            lossSum += exec.output(TrainingProgram.LOSS_SUM).floats()[0];
            weightSum += exec.output(TrainingProgram.WEIGHT_SUM).floats()[0];
            correct += Scoring.correct(decision, exec.output(TrainingProgram.SCORES).floats(), k, targets, null, from, count);
        }
        return new EpochMetrics(epoch, "test", lossSum / weightSum, accuracy(decision, correct, n), n, (System.nanoTime() - start) / 1e9);
    }

    /** NaN (written as null) when the loss makes no labels. */
    private static double accuracy(Decision decision, long correct, long n) {
        return decision == Decision.NONE ? Double.NaN : (double) correct / n;
    }

    private static void initialise(Executable exec, Graph graph) {
        for (Map.Entry<String, Tensor> e : graph.initialValues().entrySet()) {
            exec.input(e.getKey()).copyFrom(e.getValue());
        }
    }

    /** Copies every carried input (parameters, optimizer state) from one executable of the step graph to another. */
    private static void copyCarried(Graph graph, Executable from, Executable to) {
        for (String input : graph.carries().values()) {
            to.input(input).copyFrom(from.input(input));
        }
    }

    private static long parameterCount(Executable step, TrainingProgram program) {
        long count = 0;
        for (String p : program.parameterInputs()) {
            count += step.input(p).size();
        }
        return count;
    }

    private void writeParameters(Map<String, Tensor> parameters) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        parameters.forEach((input, value) -> params.put(input.substring("param/".length()), value));
        try {
            runDirectory.writeAtomically("parameters.npz", Npz.write(params));
        } catch (IOException e) {
            throw new UserError(ExitCode.INTERNAL, "cannot write parameters to " + runDirectory.path() + ": " + e.getMessage(), e);
        }
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Fisher-Yates with the run's seeded generator, so the batch order is a function of the seed. */
    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
