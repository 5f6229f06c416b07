package dev.theta.core.training;

import com.google.inject.Inject;
import dev.theta.api.registry.PluginException;
import dev.theta.api.train.PluginFault;
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
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.config.ConfigDocument;
import dev.theta.core.config.ResolvedConfig;
import dev.theta.core.config.RunConfig;
import dev.theta.core.engine.ChosenEngine;
import dev.theta.core.engine.StepEngine;
import dev.theta.core.task.TaskRuns;
import dev.theta.core.model.Preprocessing;
import dev.theta.core.run.Checkpoint;
import dev.theta.core.run.Checkpoint.PartialEpoch;
import dev.theta.core.run.CheckpointStore;
import dev.theta.core.run.EventLog;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.run.StepLog;
import dev.theta.core.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training loop: epochs of seeded-shuffled minibatches through the compiled step graph, then an evaluation of
 * the test split, with metrics appended to the run directory after every epoch. A run in iterations
 * ({@code train.max-iters}) is the same loop on batches drawn with replacement, an eval interval standing for an epoch. It checkpoints after every epoch
 * (and every {@code train.checkpoint-every} steps), resumes from a checkpoint bit for bit, stops early when asked,
 * stops on divergence keeping the last good checkpoint, and stops at a step boundary on SIGINT after a checkpoint.
 * With a {@code distributed.engine} the steps run on that {@link StepEngine}; all the rest stays here.
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
    private final Interruption interruption;
    private final Path dataDirectory;
    private final CheckpointStore checkpoints;
    private final TaskRuns tasks;
    private final PluginSources plugins;
    private final EventLog events;
    private final StepLog stepLog;
    private final TrainingListener listener;
    private final ChosenEngine engine;

    @Inject
    public Trainer(RunConfig config, TrainTestData data, Hypothesis hypothesis, Loss loss, Optimizer optimizer,
                   LearningRateSchedule schedule, Backend backend, RunDirectory runDirectory, Progress progress,
                   ResolvedConfig resolvedConfig, Interruption interruption, ConfigDocument document, TrainingListener listener,
                   TaskRuns tasks, PluginSources plugins, ChosenEngine engine) {
        this.plugins = plugins;
        this.engine = engine;
        this.listener = listener;
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
        this.interruption = interruption;
        this.dataDirectory = document.baseDirectory().toAbsolutePath();
        this.checkpoints = new CheckpointStore(runDirectory);
        this.events = new EventLog(runDirectory);
        this.stepLog = new StepLog(runDirectory, config.train().clipGradNorm() > 0);
        this.tasks = tasks;
    }

    /**
     * Trains from {@code resume} (a checkpoint of this run; null for a new run) to the end; returns the metrics of
     * every epoch and split and the trained parameters.
     */
    public TrainingResult train(Checkpoint resume) {
        Dataset train = data.train();
        Dataset test = data.test();
        TrainingProgram program;
        try {
            program = TrainingProgram.build(train.spec(), hypothesis, loss, optimizer, config.seed(), config.train().clipGradNorm());
        } catch (PluginFault e) {
            throw new PluginException("the " + plugins.describe(e.kind()) + " is at fault: it " + e.getMessage()
                    + "; this is a bug in the plugin, not in the config", e);
        }
        data.checkHeldOutLabelled();
        RunConfig.TrainSettings s = config.train();
        int n = train.size();
        // A run in iterations is the same loop with an eval interval for an epoch and drawn batches, always full.
        int batch = s.batch(n);
        int stepsPerEpoch = s.stepsPerUnit(n);
        StepExecutables executables = StepExecutables.compile(backend, program.step(), n, batch, s.byIterations());
        Executable step = executables.main();
        int k = loss.scores(train.spec());
        // Accuracy needs labels: regression (Decision.NONE) reports none.
        Decision decision = train.spec().isClassification() ? loss.decision() : Decision.NONE;
        List<Evaluator> evaluators = new ArrayList<>();
        StepEngine.Steps remote = null;
        try {
            if (data.validation() != null) {
                evaluators.add(Evaluator.compile(backend, program, data.validation(), "validation", s.evalBatchSize(), s.evalBatches(), config.seed(), decision, k, train.spec()));
            }
            evaluators.add(Evaluator.compile(backend, program, test, "test", s.evalBatchSize(), s.evalBatches(), config.seed(), decision, k, train.spec()));
            if (!engine.isLocal()) {
                // The step executable still holds the carried state (checkpoints, evaluation read it); the engine
                // takes it from there before each step and leaves the next state there.
                remote = engine.engine().start(new StepEngine.Run(config.name(), train, hypothesis, loss, optimizer,
                        program.initialParameters(), program.step(), s.clipGradNorm(),
                        resolvedConfig.asMap()), engine.options());
            }
            Loop loop = new Loop(program, executables, evaluators, decision, k, stepsPerEpoch, batch, remote);
            if (resume == null) {
                ExecutableState.initialise(step, program.step());
                runDirectory.create(resolvedConfig.asMap(), train.spec(), new Preprocessing(data.standardization()), dataDirectory);
                loop.shuffler = new Shuffler(config.seed(), n);
                events.append("start", "run", config.name(), "epochs", s.units(), "steps_per_epoch", stepsPerEpoch,
                        "max_iters", s.maxIters(), "train_examples", n, "test_examples", test.size());
                loop.checkpoint(1, 0, PartialEpoch.EMPTY, false);
            } else {
                loop.restore(resume);
            }
            LOG.info("run {}: {} train / {} test examples, {} parameters, writing to {}", config.name(), n, test.size(),
                    ExecutableState.parameterCount(step, program), runDirectory);
            interruption.begin();
            try {
                loop.run();
            } finally {
                interruption.end();
            }
            int lastEpoch = loop.history.isEmpty() ? 0 : loop.history.get(loop.history.size() - 1).epoch();
            int selected = loop.best.selected(lastEpoch);
            Map<String, Tensor> parameters = selected == lastEpoch ? loop.currentParameterCopies()
                    : loop.best.parameters(program.parameterInputs());
            if (loop.best.metric() != null) {
                LOG.info("keeping the model of {}", loop.best.describe(selected, lastEpoch, config.train()));
            }
            runDirectory.writeParameters(parameters);
            events.append("end", "epochs", lastEpoch, "stopped_early", loop.stopped, "selected_epoch", selected);
            return new TrainingResult(List.copyOf(loop.history), parameters, loop.stopped, selected, loop.best.metric());
        } finally {
            if (remote != null) {
                remote.close();
            }
            evaluators.forEach(Evaluator::close);
            executables.close();
        }
    }

    /** The state of one training run between steps. */
    private final class Loop {
        private final TrainingProgram program;
        private final StepExecutables executables;
        /** The executable that holds the carried state between calls. */
        private final Executable step;
        private final List<Evaluator> evaluators;
        private final Decision decision;
        private final int k;
        private final int stepsPerEpoch;
        private final int batch;
        private final StepEngine.Steps remote;
        private final Batcher batches;
        private final long[] targets;
        private final List<EpochMetrics> history = new ArrayList<>();
        private final EarlyStopper stopper = new EarlyStopper(config.train().earlyStopping());
        private final BestModel best = new BestModel(config.train().selection(), checkpoints, runDirectory, events);
        private final Divergence divergence;
        private final EpochLog epochLog = new EpochLog(config.train(), events, listener);
        private final Cadence cadence = new Cadence(config.train().checkpointEvery());
        private Shuffler shuffler;
        private int epoch = 1;
        private int stepInEpoch;
        private long stepCount;
        private PartialEpoch partial = PartialEpoch.EMPTY;
        private boolean stopped;

        Loop(TrainingProgram program, StepExecutables executables, List<Evaluator> evaluators,
             Decision decision, int k, int stepsPerEpoch, int batch, StepEngine.Steps remote) {
            this.program = program;
            this.remote = remote;
            this.executables = executables;
            this.step = executables.main();
            this.evaluators = evaluators;
            this.divergence = new Divergence(program.parameterInputs(), checkpoints, runDirectory, events, progress);
            this.decision = decision;
            this.k = k;
            this.stepsPerEpoch = stepsPerEpoch;
            this.batch = batch;
            this.batches = new Batcher(data.train());
            this.targets = decision == Decision.NONE ? null : data.train().targets().longs();
        }

        void restore(Checkpoint c) {
            for (String input : program.step().carries().values()) {
                Tensor saved = c.carried().get(input);
                Tensor target = step.input(input);
                if (saved == null || !saved.shape().equals(target.shape())) {
                    throw new UserError(ExitCode.DATA, runDirectory + ": the checkpoint at step " + c.step()
                            + " does not match this run's model (" + input + ": " + (saved == null ? "missing" : saved.shape())
                            + ", expected " + target.shape() + ")");
                }
                target.copyFrom(saved);
            }
            epoch = c.epoch();
            stepInEpoch = c.stepInEpoch();
            stepCount = c.step();
            partial = c.partial();
            stopped = c.stopped();
            history.addAll(c.history());
            stopper.replay(history);
            best.replay(history);
            shuffler = Shuffler.replay(c.shuffleSeed(), data.train().size(), c.shuffles());
            try {
                runDirectory.rewriteMetrics(history);
                stepLog.truncateAfter(stepCount);
            } catch (IOException e) {
                throw new UserError(ExitCode.INTERNAL, "cannot rewrite the metrics of " + runDirectory + ": " + e.getMessage(), e);
            }
            events.append("resume", "epoch", epoch, "step_in_epoch", stepInEpoch, "step", stepCount);
            LOG.info("resuming {} at epoch {}, step {} of {}", runDirectory, epoch, stepInEpoch, stepsPerEpoch);
        }

        void run() {
            RunConfig.TrainSettings s = config.train();
            int n = data.train().size();
            boolean drawn = s.byIterations();
            boolean clipping = s.clipGradNorm() > 0;
            while (!stopped && epoch <= s.units()) {
                if (!drawn && s.shuffle() && shuffler.shuffles() < epoch) {
                    shuffler.shuffle();
                }
                EpochSums sums = new EpochSums(partial, data.train().spec().positions());
                progress.startEpoch(drawn ? String.format(Locale.ROOT, "iter %d-%d/%d", (long) (epoch - 1) * stepsPerEpoch + 1,
                        (long) epoch * stepsPerEpoch, s.maxIters()) : String.format(Locale.ROOT, "epoch %d/%d", epoch, s.epochs()),
                        stepsPerEpoch);
                int[] order = shuffler.order();
                while (stepInEpoch < stepsPerEpoch) {
                    int from = drawn ? 0 : stepInEpoch * batch;
                    int fullBatchesLeft = drawn ? stepsPerEpoch - stepInEpoch : (n - from) / batch;
                    // An engine runs one step at a time on the state the main executable holds.
                    int steps = executables.stepsPerCall(fullBatchesLeft, remote != null);
                    int count = drawn ? batch : Math.min(batch, n - from);
                    Executable exec = executables.borrow(steps, count, remote != null);
                    long before = stepCount;
                    // Minibatch i of the call is examples orders[i][starts[i], starts[i] + count).
                    int[][] orders = new int[steps][];
                    int[] starts = new int[steps];
                    for (int i = 0; i < steps; i++) {
                        orders[i] = drawn ? RandomBatches.training(config.seed(), before + i + 1, n, count) : order;
                        starts[i] = drawn ? 0 : from + i * count;
                        if (remote == null) {
                            batches.fill(exec, i, orders[i], starts[i], count);
                            exec.input(TrainingProgram.LEARNING_RATE).floats()[i] = (float) schedule.at(before + i + 1);
                            exec.input(TrainingProgram.STEP).floats()[i] = before + i + 1;
                        }
                    }
                    StepEngine.Outcome outcome = null;
                    if (remote == null) {
                        exec.run();
                    } else {
                        outcome = remote.step(step, orders[0], starts[0], count, before + 1, (float) schedule.at(before + 1));
                    }
                    for (int i = 0; i < steps; i++) {
                        stepCount++;
                        stepInEpoch++;
                        double lr = schedule.at(stepCount);
                        float stepLoss = outcome == null ? divergence.checkLoss(exec, i, position(lr)) : divergence.checkLoss(outcome.loss(), position(lr));
                        double gradNorm = !clipping ? Double.NaN : outcome == null ? exec.output(TrainingProgram.GRAD_NORM).floats()[i] : outcome.gradNorm();
                        stepLog.step(stepCount, epoch, stepLoss, lr, gradNorm);
                        listener.onStep(stepCount, epoch, stepLoss, lr);
                        if (outcome == null) {
                            sums.add(exec, i, decision, k, targets, orders[i], starts[i], count);
                        } else {
                            sums.add(outcome.lossSum(), outcome.weightSum(), outcome.correct(), count);
                        }
                    }
                    boolean due = cadence.checkpointDue(before, stepCount, stepInEpoch == stepsPerEpoch);
                    if (cadence.scanDue(before, stepCount, due || interruption.isRequested() || stepInEpoch == stepsPerEpoch)) {
                        divergence.checkParameters(exec, position(schedule.at(stepCount)));
                    }
                    executables.giveBack(exec);
                    progress.step(sums.meanLoss(), sums.examples());
                    if (due || interruption.isRequested()) {
                        checkpoint(epoch, stepInEpoch, sums.partial(), false);
                    }
                    if (interruption.isRequested()) {
                        progress.endEpoch();
                        stopForInterrupt();
                    }
                }
                progress.endEpoch();
                List<EpochMetrics> epochMetrics = new ArrayList<>(List.of(sums.metrics(epoch, decision)));
                for (Evaluator evaluator : evaluators) {
                    EpochMetrics m = evaluator.evaluate(epoch, program.parameterInputs(), step);
                    epochMetrics.add(tasks.evaluated(m, currentParameters(), events));
                }
                for (EpochMetrics m : epochMetrics) {
                    runDirectory.appendMetrics(m);
                    history.add(m);
                }
                epochLog.epoch(epochMetrics, stepCount);
                stopped = stopper.update(epoch, epochMetrics);
                boolean improved = best.improves(epoch, epochMetrics);
                epoch++;
                stepInEpoch = 0;
                partial = PartialEpoch.EMPTY;
                Checkpoint end = checkpoint(epoch, 0, partial, stopped);
                if (improved) {
                    best.keep(end, epoch - 1);
                }
                if (stopped) {
                    LOG.info("early stopping after epoch {}: {}", epoch - 1, stopper.describe());
                    events.append("early_stop", "epoch", epoch - 1, "reason", stopper.describe());
                    listener.onEarlyStop(epoch - 1, stopper.describe());
                }
                if (interruption.isRequested()) {
                    stopForInterrupt();
                }
            }
        }

        private Map<String, Tensor> currentParameters() {
            Map<String, Tensor> current = new LinkedHashMap<>();
            for (String p : program.parameterInputs()) {
                current.put(p, step.input(p));
            }
            return current;
        }

        /** Copies of the parameters as they are now. */
        private Map<String, Tensor> currentParameterCopies() {
            Map<String, Tensor> copies = new LinkedHashMap<>();
            currentParameters().forEach((name, value) -> copies.put(name, value.copy()));
            return copies;
        }

        private Divergence.Position position(double lr) {
            return new Divergence.Position(epoch, stepInEpoch, stepsPerEpoch, stepCount, lr);
        }

        private void stopForInterrupt() {
            events.append("interrupted", "epoch", epoch, "step_in_epoch", stepInEpoch, "step", stepCount);
            String at = config.train().byIterations() ? "iteration " + stepCount + " of " + config.train().maxIters()
                    : "epoch " + epoch + ", step " + stepInEpoch;
            throw new UserError(ExitCode.INTERRUPTED, "interrupted at " + at
                    + (runDirectory.isInMemory() ? "" : "; checkpoint written; continue with: theta train --resume " + runDirectory));
        }

        Checkpoint checkpoint(int atEpoch, int atStep, PartialEpoch sums, boolean stop) {
            Map<String, Tensor> carried = new LinkedHashMap<>();
            for (String input : program.step().carries().values()) {
                carried.put(input, step.input(input));
            }
            Checkpoint c = new Checkpoint(atEpoch, atStep, stepCount, sums, shuffler.seed(), shuffler.shuffles(), stop,
                    dataDirectory.toString(), List.copyOf(history), carried);
            try {
                // Rows first: a checkpoint never exists without the rows of the steps it holds.
                stepLog.flush();
                String file = checkpoints.write(c, config.train().keepCheckpoints());
                listener.onCheckpoint(stepCount, file);
                events.append("checkpoint", "epoch", atEpoch, "step_in_epoch", atStep, "step", stepCount,
                        "file", file);
                return c;
            } catch (IOException e) {
                throw new UserError(ExitCode.INTERNAL, "cannot write a checkpoint to " + runDirectory + ": " + e.getMessage(), e);
            }
        }
    }
}
