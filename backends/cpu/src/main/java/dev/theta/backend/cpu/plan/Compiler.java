package dev.theta.backend.cpu.plan;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Value;
import dev.theta.api.ops.Constant;
import dev.theta.api.ops.Input;
import dev.theta.api.ops.MatMul;
import dev.theta.api.ops.Reshape;
import dev.theta.api.ops.Size;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.backend.cpu.CpuExecutable;
import dev.theta.backend.cpu.kernels.Buf;
import dev.theta.backend.cpu.kernels.CopyKernel;
import dev.theta.backend.cpu.kernels.Kernel;
import dev.theta.backend.cpu.kernels.MatMulScratch;
import dev.theta.backend.cpu.kernels.Strides;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a graph for one batch size: schedule with dead code removed and transposes folded into products,
 * concrete shapes, a slot for every value, and one kernel per remaining node.
 *
 * <p>Slots: graph inputs and outputs get dedicated tensors; Reshape aliases its argument's slot; constants, sizes
 * and everything computed from them alone are evaluated once here; other values share pooled slots, a slot being
 * free again after the last kernel that reads its value. A node whose value is a graph output writes straight into
 * the output's tensor; outputs that are inputs, constants, aliases or a second name for one value get a copy.
 */
public final class Compiler {
    private final Graph graph;
    private final int batch;
    private final Schedule schedule;
    private final BufferPool pool = new BufferPool();
    private final MatMulScratch scratch = new MatMulScratch();
    private final KernelFactory factory;
    private final Buf[] slot;
    /** For each value, the value that owns its storage (itself, or what a Reshape aliases). */
    private final Value[] root;
    private final boolean[] folded;

    private Compiler(Graph graph, int batch, int threads) {
        this.graph = graph;
        this.batch = batch;
        this.schedule = new Schedule(graph);
        this.factory = new KernelFactory(threads, scratch);
        int n = graph.nodes().size();
        this.slot = new Buf[n];
        this.root = new Value[n];
        this.folded = new boolean[n];
    }

    public static CpuExecutable compile(Graph graph, int batch, int threads) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch size must be positive: " + batch);
        }
        return new Compiler(graph, batch, threads).build();
    }

    private int[] dims(Value v) {
        return v.shape().resolve(batch).dims();
    }

    private CpuExecutable build() {
        Map<String, Buf> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, Value> e : graph.inputs().entrySet()) {
            Value v = e.getValue();
            Buf b = Buf.zeros(v.type().dtype(), v.shape().resolve(batch));
            Tensor initial = graph.initialValues().get(e.getKey());
            if (initial != null) {
                b.tensor().copyFrom(initial);
            }
            inputs.put(e.getKey(), b);
        }
        Map<String, Buf> outputs = new LinkedHashMap<>();
        Map<Integer, Buf> writesOutput = new HashMap<>();
        for (Map.Entry<String, Value> e : graph.outputs().entrySet()) {
            Value v = e.getValue();
            Buf b = Buf.zeros(v.type().dtype(), v.shape().resolve(batch));
            outputs.put(e.getKey(), b);
            writesOutput.putIfAbsent(v.id(), b);
        }

        List<Value> live = schedule.live;
        // Position of the last kernel reading each storage owner; outputs' owners stay live to the end.
        int[] lastUse = new int[slot.length];
        for (int t = 0; t < live.size(); t++) {
            Value v = live.get(t);
            root[v.id()] = v.op() instanceof Reshape ? root[schedule.args[v.id()][0].id()] : v;
            for (Value a : schedule.args[v.id()]) {
                lastUse[root[a.id()].id()] = t;
            }
        }
        for (Value out : graph.outputs().values()) {
            lastUse[root[out.id()].id()] = Integer.MAX_VALUE;
        }

        List<Kernel> kernels = new ArrayList<>();
        for (int t = 0; t < live.size(); t++) {
            Value v = live.get(t);
            Value[] args = schedule.args[v.id()];
            switch (v.op()) {
                case Input in -> slot[v.id()] = inputs.get(in.name());
                case Constant c -> {
                    slot[v.id()] = Buf.of(c.value().copy());
                    folded[v.id()] = true;
                }
                case Size s -> {
                    slot[v.id()] = Buf.of(Tensor.of(Shape.SCALAR, (long) Strides.size(dims(args[0]))));
                    folded[v.id()] = true;
                }
                case Reshape r -> {
                    slot[v.id()] = slot[args[0].id()];
                    folded[v.id()] = folded[args[0].id()];
                }
                default -> {
                    if (foldable(v, args)) {
                        slot[v.id()] = Buf.zeros(v.type().dtype(), Shape.of(dims(v)));
                        kernel(v, args).run();
                        folded[v.id()] = true;
                    } else {
                        Buf direct = writesOutput.remove(v.id());
                        slot[v.id()] = direct != null ? direct : pool.acquire(v.type().dtype(), Strides.size(dims(v)));
                        kernels.add(kernel(v, args));
                    }
                }
            }
            for (Value a : args) {
                Value owner = root[a.id()];
                if (lastUse[owner.id()] == t) {
                    pool.release(slot[owner.id()]);
                }
            }
        }
        for (Map.Entry<String, Value> e : graph.outputs().entrySet()) {
            Buf target = outputs.get(e.getKey());
            Buf source = slot[e.getValue().id()];
            if (source != target) {
                kernels.add(CopyKernel.contiguous(source, target, target.tensor().size()));
            }
        }
        pool.allocate();
        scratch.allocate();
        return new CpuExecutable(kernels.toArray(Kernel[]::new), inputs, outputs, graph.carries(), scratch);
    }

    /** Computed from constants alone; products are left to run time, when the BLAS scratch exists. */
    private boolean foldable(Value v, Value[] args) {
        if (v.op() instanceof MatMul) {
            return false;
        }
        for (Value a : args) {
            if (!folded[a.id()]) {
                return false;
            }
        }
        return true;
    }

    private Kernel kernel(Value v, Value[] args) {
        Buf[] bufs = new Buf[args.length];
        int[][] argDims = new int[args.length][];
        for (int i = 0; i < args.length; i++) {
            bufs[i] = slot[args[i].id()];
            argDims[i] = dims(args[i]);
        }
        return factory.create(v, bufs, argDims, slot[v.id()], dims(v), schedule.transposed[v.id()]);
    }
}
