package dev.theta.backend.cpu.plan;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Value;
import dev.theta.api.ops.Binary;
import dev.theta.api.ops.Cast;
import dev.theta.api.ops.Compare;
import dev.theta.api.ops.Constant;
import dev.theta.api.ops.Conv;
import dev.theta.api.ops.ConvTranspose;
import dev.theta.api.ops.Input;
import dev.theta.api.ops.MatMul;
import dev.theta.api.ops.MaxPool;
import dev.theta.api.ops.Reshape;
import dev.theta.api.ops.Size;
import dev.theta.api.ops.Unary;
import dev.theta.api.ops.Where;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.backend.cpu.CpuExecutable;
import dev.theta.backend.cpu.kernels.Buf;
import dev.theta.backend.cpu.kernels.CopyKernel;
import dev.theta.backend.cpu.kernels.Epilogue;
import dev.theta.backend.cpu.kernels.FusedKernel;
import dev.theta.backend.cpu.kernels.ImageScratch;
import dev.theta.backend.cpu.kernels.Kernel;
import dev.theta.backend.cpu.kernels.MatMulScratch;
import dev.theta.backend.cpu.kernels.Strides;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
    private final ImageScratch images = new ImageScratch();
    private final KernelFactory factory;
    private final int threads;
    private final Buf[] slot;
    /** For each value, the value that owns its storage (itself, or what a Reshape aliases). */
    private final Value[] root;
    private final boolean[] folded;
    private final Map<String, Buf> inputs = new LinkedHashMap<>();
    /** The values the last compiled product copied into the shared off-heap operands A and B. */
    private final Value[] lastProductOperands = new Value[2];

    private Compiler(Graph graph, int batch, int threads, boolean narrowProducts) {
        this.graph = graph;
        this.batch = batch;
        this.schedule = new Schedule(graph);
        this.factory = new KernelFactory(threads, scratch, images, narrowProducts);
        this.threads = threads;
        int n = graph.nodes().size();
        this.slot = new Buf[n];
        this.root = new Value[n];
        this.folded = new boolean[n];
    }

    /** @param narrowProducts whether products with few output columns may use the vector API kernel */
    public static CpuExecutable compile(Graph graph, int batch, int threads, boolean narrowProducts) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch size must be positive: " + batch);
        }
        return new Compiler(graph, batch, threads, narrowProducts).build();
    }

    private int[] dims(Value v) {
        return v.shape().resolve(batch).dims();
    }

    private CpuExecutable build() {
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

        Fusion fusion = new Fusion(schedule, this::dims, graph.outputs().values());
        List<List<Value>> units = fusion.units;
        // Position of the last unit reading each storage owner; outputs' owners stay live to the end.
        int[] lastUse = new int[slot.length];
        for (int t = 0; t < units.size(); t++) {
            for (Value v : units.get(t)) {
                root[v.id()] = v.op() instanceof Reshape ? root[schedule.args[v.id()][0].id()] : v;
                for (Value a : schedule.args[v.id()]) {
                    lastUse[root[a.id()].id()] = t;
                }
            }
        }
        for (Value out : graph.outputs().values()) {
            lastUse[root[out.id()].id()] = Integer.MAX_VALUE;
        }

        List<Kernel> kernels = new ArrayList<>();
        for (int t = 0; t < units.size(); t++) {
            List<Value> unit = units.get(t);
            if (unit.size() == 1) {
                single(unit.get(0), writesOutput, kernels);
            } else {
                kernels.add(fused(unit, fusion, writesOutput));
                lastKernelValue = null;
            }
            // Released after the unit's own slots were taken: a fused unit reads its arguments while it writes.
            for (Value v : unit) {
                for (Value a : schedule.args[v.id()]) {
                    Value owner = root[a.id()];
                    if (lastUse[owner.id()] == t) {
                        pool.release(slot[owner.id()]);
                    }
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
        images.allocate();
        return new CpuExecutable(kernels.toArray(Kernel[]::new), inputs, outputs, graph.carries(), scratch);
    }

    /** The node whose kernel was added last by {@link #single}. */
    private Value lastKernelValue;

    private void single(Value v, Map<Integer, Buf> writesOutput, List<Kernel> kernels) {
        Value[] args = schedule.args[v.id()];
        Value previous = lastKernelValue;
        lastKernelValue = null;
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
                    Value sibling = schedule.pooledWith[v.id()];
                    if (sibling != null && sibling == previous) {
                        // The pooling just before computes these indices too (see Schedule): nothing in between
                        // released a slot, so this one is free where that kernel runs.
                        kernels.set(kernels.size() - 1, factory.maxPool((MaxPool) sibling.op(), slot[args[0].id()],
                                dims(args[0]), slot[sibling.id()], slot[v.id()], dims(v)));
                    } else {
                        kernels.add(kernel(v, args));
                    }
                    lastKernelValue = v;
                }
            }
        }
    }

    /**
     * One tiled kernel for a fused cluster. Every value lives in a tile register; slots read by the cluster are loaded
     * once per tile, values read outside it are stored to their slots (or straight into the graph output), and a
     * register is released after its last reader.
     */
    private Kernel fused(List<Value> unit, Fusion fusion, Map<Integer, Buf> writesOutput) {
        int size = Strides.size(dims(unit.get(0)));
        FusedKernel.Builder b = new FusedKernel.Builder(size).threads(threads);
        Map<Integer, Integer> lastReader = new HashMap<>();
        for (int j = 0; j < unit.size(); j++) {
            for (Value a : schedule.args[unit.get(j).id()]) {
                lastReader.put(a.id(), j);
            }
        }
        Map<Integer, Integer> handle = new HashMap<>();
        for (int j = 0; j < unit.size(); j++) {
            Value v = unit.get(j);
            Value[] args = schedule.args[v.id()];
            int[] x = new int[args.length];
            for (int i = 0; i < args.length; i++) {
                Value a = args[i];
                Integer h = handle.get(a.id());
                if (h == null) {
                    Buf s = slot[a.id()];
                    h = Strides.size(dims(a)) == 1 ? b.scalar(s) : b.load(s);
                    handle.put(a.id(), h);
                }
                x[i] = h;
            }
            int out = b.register();
            handle.put(v.id(), out);
            switch (v.op()) {
                case Unary u -> b.unary(u.fn(), x[0], out);
                case Binary bin -> b.binary(bin.fn(), x[0], x[1], out);
                case Compare c -> b.compare(c.fn(), x[0], x[1], out);
                case Where w -> b.where(x[0], x[1], x[2], out);
                case Cast c -> {
                    if (c.to() == DType.BOOL && args[0].type().dtype() != DType.BOOL) {
                        b.toBool(x[0], out);
                    } else {
                        b.copy(x[0], out);
                    }
                }
                default -> throw new IllegalStateException("not an elementwise op: " + v.describe());
            }
            if (fusion.external(v)) {
                Buf direct = writesOutput.remove(v.id());
                slot[v.id()] = direct != null ? direct : pool.acquire(v.type().dtype(), size);
                b.store(out, slot[v.id()]);
            }
            for (Value a : new LinkedHashSet<>(List.of(args))) {
                if (lastReader.get(a.id()) == j) {
                    b.release(handle.get(a.id()));
                }
            }
            if (!lastReader.containsKey(v.id())) {
                b.release(out);
            }
        }
        return b.build();
    }

    /** Computed from constants alone; products are left to run time, when the BLAS scratch exists. */
    private boolean foldable(Value v, Value[] args) {
        if (usesBlas(v)) {
            return false;
        }
        for (Value a : args) {
            if (!folded[a.id()]) {
                return false;
            }
        }
        return true;
    }

    private boolean usesBlas(Value v) {
        return v.op() instanceof MatMul || v.op() instanceof Conv || v.op() instanceof ConvTranspose
                || schedule.convs[v.id()] != null;
    }

    private Kernel kernel(Value v, Value[] args) {
        if (schedule.softmax[v.id()] != null) {
            return factory.softmax(schedule.softmax[v.id()], slot[args[0].id()], dims(args[0]), slot[v.id()]);
        }
        Buf[] bufs = new Buf[args.length];
        int[][] argDims = new int[args.length][];
        for (int i = 0; i < args.length; i++) {
            bufs[i] = slot[args[i].id()];
            argDims[i] = dims(args[i]);
        }
        boolean[] resident = null;
        if (v.op() instanceof MatMul && !factory.narrow(argDims, dims(v), schedule.transposed[v.id()])) {
            // Products run in kernel order and share one off-heap operand pair: an operand that the previous product
            // copied there is still there (a value's slot is not rewritten while the value is live). Narrow products
            // do not touch the pair.
            resident = new boolean[2];
            for (int i = 0; i < 2; i++) {
                Value operand = root[args[i].id()];
                resident[i] = operand == lastProductOperands[i];
                lastProductOperands[i] = operand;
            }
        } else if (usesBlas(v)) {
            // Convolutions fill the off-heap operands with their own matrices.
            Arrays.fill(lastProductOperands, null);
        }
        Value pooledGradient = schedule.pooledGradients[v.id()];
        if (pooledGradient != null) {
            return factory.pooledGradient(v, bufs, argDims, slot[v.id()], dims(pooledGradient));
        }
        if (schedule.maskedScatters[v.id()] != null) {
            return factory.maskedScatter(schedule.maskedScatters[v.id()], bufs, argDims, slot[v.id()],
                    schedule.maskedByValues[v.id()]);
        }
        Conv conv = schedule.convs[v.id()];
        if (conv != null) {
            return factory.convolution(conv, bufs, argDims, slot[v.id()], dims(v),
                    new Epilogue(bufs.length > 2 ? bufs[2] : null, schedule.rectified[v.id()]));
        }
        return factory.create(v, bufs, argDims, slot[v.id()], dims(v), schedule.transposed[v.id()], resident);
    }
}
