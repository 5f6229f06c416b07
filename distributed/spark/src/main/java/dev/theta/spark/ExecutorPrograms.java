package dev.theta.spark;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.SplitStep;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.core.training.Scoring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gradient graphs of this JVM (an executor's, or the driver's in local mode): built once per run from its
 * {@link ModelSource}, compiled once per share size and kept, so a step costs a copy of the parameters and one run.
 * Tasks of one executor run concurrently; each borrows an executable of its own. The last few runs are kept.
 */
final class ExecutorPrograms {
    private static final int RUNS_KEPT = 4;
    /** The key of the update graph among the gradient graphs' share sizes (which are ≥ 1). */
    static final int UPDATE = 0;
    private static final Map<String, Run> RUNS = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Run> eldest) {
            if (size() > RUNS_KEPT) {
                eldest.getValue().close();
                return true;
            }
            return false;
        }
    };

    private ExecutorPrograms() {
    }

    static GradientSums gradients(String run, ModelSource source, Map<String, int[]> shapes, Shard shard, StepWork work) {
        int[] rows = work.rows()[shard.index()];
        if (rows.length == 0) {
            return new GradientSums(shard.index(), 0, 0f, 0f, 0, null);
        }
        Run r = run(run, source, shapes);
        Executable exec = r.borrow(rows.length, 0);
        try {
            work.parameters().forEach((name, value) -> System.arraycopy(value, 0, exec.input(name).floats(), 0, value.length));
            shard.gather(rows, exec.input(TrainingProgram.FEATURES), exec.input(TrainingProgram.TARGETS));
            exec.run();
            Map<String, float[]> gradients = new LinkedHashMap<>();
            for (String name : work.parameters().keySet()) {
                gradients.put(name, exec.output(SplitStep.gradient(name)).floats().clone());
            }
            int correct = Scoring.correct(r.decision, exec.output(TrainingProgram.SCORES).floats(), 0, r.k, r.positions,
                    shard.longTargets(), rows, 0, rows.length);
            return new GradientSums(shard.index(), rows.length, exec.output(TrainingProgram.LOSS_SUM).floats()[0],
                    exec.output(TrainingProgram.WEIGHT_SUM).floats()[0], correct, gradients);
        } finally {
            giveBack(run, rows.length, exec);
        }
    }

    /**
     * An executable of run {@code run} for this task alone, until {@link #giveBack}: the gradient graph compiled for
     * shares of {@code size} ≥ 1 rows, or with {@code size} {@value #UPDATE} the update graph (gradients clipped to
     * global norm {@code clipGradNorm}), which holds parameters and optimizer state for parameter averaging's local steps.
     */
    static Executable borrow(String run, ModelSource source, Map<String, int[]> shapes, int size, double clipGradNorm) {
        return run(run, source, shapes).borrow(size, clipGradNorm);
    }

    /** Run {@code run}'s programs in this JVM, built on first use. */
    private static Run run(String run, ModelSource source, Map<String, int[]> shapes) {
        synchronized (RUNS) {
            return RUNS.computeIfAbsent(run, id -> new Run(source, shapes));
        }
    }

    /**
     * Returns an executable {@link #borrow} lent for {@code size}. A run released (or evicted) meanwhile has closed
     * it with all its executables already.
     */
    static void giveBack(String run, int size, Executable exec) {
        Run r;
        synchronized (RUNS) {
            r = RUNS.get(run);
        }
        if (r != null) {
            r.giveBack(size, exec);
        }
    }

    /** How many gradient executables run {@code run} has compiled in this JVM. */
    static int compilations(String run) {
        synchronized (RUNS) {
            Run r = RUNS.get(run);
            return r == null ? 0 : r.compiled.get();
        }
    }

    /** Closes the executables of {@code run} in this JVM. */
    static void release(String run) {
        Run r;
        synchronized (RUNS) {
            r = RUNS.remove(run);
        }
        if (r != null) {
            r.close();
        }
    }

    private static final class Run {
        private final Graph graph;
        private final ModelPlugins plugins;
        private final Map<String, Tensor> parameters = new LinkedHashMap<>();
        private Graph update;
        private final CpuBackend backend = new CpuBackend(1);
        private final Map<Integer, Deque<Executable>> idle = new HashMap<>();
        private final List<Executable> all = new ArrayList<>();
        private final AtomicInteger compiled = new AtomicInteger();
        private final Decision decision;
        private final int k;
        private final int positions;

        Run(ModelSource source, Map<String, int[]> shapes) {
            this.plugins = source.build();
            // As the local loop counts them: regression (Decision.NONE) has none.
            this.decision = plugins.data().isClassification() ? plugins.loss().decision() : Decision.NONE;
            this.k = plugins.loss().scores(plugins.data());
            this.positions = plugins.data().positions();
            // Zeros: the values only give the shapes, every step copies the broadcast parameters in.
            shapes.forEach((name, dims) -> parameters.put(name, Tensor.zeros(DType.FLOAT32, Shape.of(dims))));
            this.graph = SplitStep.gradientGraph(plugins.data(), plugins.hypothesis(), plugins.loss(), parameters);
        }

        synchronized Executable borrow(int size, double clipGradNorm) {
            Executable e = idle.computeIfAbsent(size, s -> new ArrayDeque<>()).poll();
            if (e == null && size == UPDATE) {
                if (update == null) {
                    update = SplitStep.updateGraph(plugins.loss(), plugins.optimizer(), parameters, clipGradNorm);
                }
                e = backend.compile(update, 1);
                all.add(e);
            } else if (e == null) {
                e = backend.compile(graph, size);
                all.add(e);
                compiled.incrementAndGet();
            }
            return e;
        }

        synchronized void giveBack(int size, Executable e) {
            idle.get(size).push(e);
        }

        synchronized void close() {
            all.forEach(Executable::close);
            all.clear();
            idle.clear();
        }
    }
}
