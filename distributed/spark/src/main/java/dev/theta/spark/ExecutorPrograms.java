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
        Run r;
        synchronized (RUNS) {
            r = RUNS.computeIfAbsent(run, id -> new Run(source, shapes));
        }
        Executable exec = r.borrow(rows.length);
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
            r.giveBack(rows.length, exec);
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
        private final CpuBackend backend = new CpuBackend(1);
        private final Map<Integer, Deque<Executable>> idle = new HashMap<>();
        private final List<Executable> all = new ArrayList<>();
        private final AtomicInteger compiled = new AtomicInteger();
        private final Decision decision;
        private final int k;
        private final int positions;

        Run(ModelSource source, Map<String, int[]> shapes) {
            ModelPlugins plugins = source.build();
            // As the local loop counts them: regression (Decision.NONE) has none.
            this.decision = plugins.data().isClassification() ? plugins.loss().decision() : Decision.NONE;
            this.k = plugins.loss().scores(plugins.data());
            this.positions = plugins.data().positions();
            // Zeros: the values only give the shapes, every step copies the broadcast parameters in.
            Map<String, Tensor> parameters = new LinkedHashMap<>();
            shapes.forEach((name, dims) -> parameters.put(name, Tensor.zeros(DType.FLOAT32, Shape.of(dims))));
            this.graph = SplitStep.gradientGraph(plugins.data(), plugins.hypothesis(), plugins.loss(), parameters);
        }

        synchronized Executable borrow(int size) {
            Executable e = idle.computeIfAbsent(size, s -> new ArrayDeque<>()).poll();
            if (e == null) {
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
