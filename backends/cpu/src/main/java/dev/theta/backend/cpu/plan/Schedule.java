package dev.theta.backend.cpu.plan;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Value;
import dev.theta.api.ops.Binary;
import dev.theta.api.ops.BinaryFn;
import dev.theta.api.ops.Cast;
import dev.theta.api.ops.Compare;
import dev.theta.api.ops.CompareFn;
import dev.theta.api.ops.Constant;
import dev.theta.api.ops.Conv;
import dev.theta.api.ops.Expand;
import dev.theta.api.ops.LogSoftmax;
import dev.theta.api.ops.MatMul;
import dev.theta.api.ops.MaxPool;
import dev.theta.api.ops.Reduce;
import dev.theta.api.ops.ReduceFn;
import dev.theta.api.ops.Reshape;
import dev.theta.api.ops.ScatterElements;
import dev.theta.api.ops.Transpose;
import dev.theta.api.ops.Unary;
import dev.theta.api.ops.UnaryFn;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.backend.cpu.kernels.PooledGradientKernel;
import dev.theta.backend.cpu.kernels.VectorApi;
import dev.theta.backend.cpu.kernels.WeightGradientKernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nodes a graph's outputs need, in graph order (already a valid schedule), with each node's arguments after the
 * peephole rewrite: a MatMul argument that is a Transpose swapping the last two axes of some x ({@code [1, 0]} for
 * matrices) reads x with the BLAS transpose flag instead; two such transposes in a row (the gradient of a product
 * with a transposed operand transposes it back) read x as it is. Dead-code elimination runs after the rewrite, so a
 * transpose used only by products disappears.
 *
 * <p>Two more rewrites: a unary op applied again to the same argument reads the first one's value instead (the
 * gradient of softmax = exp(LogSoftmax(x)) computes that exp once more); and exp(LogSoftmax(x)) becomes one softmax
 * of x ({@link #softmax}), so the LogSoftmax is left to dead-code elimination where nothing else reads it.
 *
 * <p>A convolution of two {@code [1, 0, 2, 3]} transposes with unit steps and one group ({@code Conv.kernelGradient}
 * of such a convolution: x and g with batch and channels exchanged) reads x and g as they are, both marked
 * transposed, for a kernel that takes them in NCHW ({@code WeightGradientKernel}).
 *
 * <p>A convolution whose output only an Add of a per-channel bias [O, 1, 1] reads, and/or only a Relu, is computed by
 * the last of those nodes ({@link #convs}): its arguments become x, w and the bias, and the convolution kernel adds
 * the bias and rectifies each output plane while it is in cache, instead of two more passes over the activations.
 * The Conv (and the Add) are then left to dead-code elimination.
 *
 * <p>MaxPool's gradient scattered into zeros and then multiplied by the ReLU's mask {@code a > 0} of the very tensor
 * a that was pooled (the gradient of relu → maxpool) is one scatter that applies the mask at the positions it writes
 * ({@link #maskedScatters}): the mask's pass over the whole activation goes.
 *
 * <p>Where a masked scatter reads the pooled values, a bias gradient (a sum over N, H and W) of it, and the 3×3
 * kernel gradient of a first convolution (single-channel images), read the pooling's gradient itself
 * ({@link #pooledGradients}): their arguments become x (the kernel's only), the positions, the updates and the pooled
 * values, and the scatter is left to dead-code elimination when nothing else reads it (a first layer: the images' own
 * gradient is not asked for).
 *
 * <p>And a MaxPool asking for indices (its gradient) of an x whose values the same pooling already computes moves to
 * just after that pooling ({@link #pooledWith}), so that one pass over x writes both.
 */
final class Schedule {
    final List<Value> live = new ArrayList<>();
    /** Effective arguments, indexed by node id. */
    final Value[][] args;
    /**
     * For MatMul nodes: whether each argument is read transposed; for a Conv that is a kernel gradient, both true (its
     * arguments are x and g, not their transposes); indexed by node id.
     */
    final boolean[][] transposed;
    /** For nodes computing exp(LogSoftmax(x)): that LogSoftmax (the node's argument is then x), indexed by node id. */
    final LogSoftmax[] softmax;
    /**
     * For an Add or Relu node that computes a convolution with its bias and/or ReLU: that Conv (the node's arguments
     * are then x, w and, if it adds one, the bias); null elsewhere. Indexed by node id.
     */
    final Conv[] convs;
    /** For those nodes: whether the ReLU is applied. */
    final boolean[] rectified;
    /**
     * For a Mul of a MaxPool gradient's scatter into zeros by {@code a > 0} of the pooled a: that ScatterElements (the
     * node's arguments are then its data, indices and updates, and a); null elsewhere. Indexed by node id.
     */
    final Value[] maskedScatters;
    /**
     * For those nodes: whether the mask is the pooling's values (m at update p's position is the value p pooled: read
     * in order, not at the scattered positions, and the pooled tensor need not outlive the forward pass).
     */
    final boolean[] maskedByValues;
    /**
     * For a first layer's kernel gradient (a Conv whose arguments are then x, positions, updates and pooled values) or
     * a bias gradient (a Reduce SUM over N, H, W, then updates and pooled values) of a masked scatter read by values:
     * that masked scatter's Mul; null elsewhere. Indexed by node id.
     */
    final Value[] pooledGradients;
    /** For MaxPool nodes asking for indices: the MaxPool of the same x and window right before it, or null. */
    final Value[] pooledWith;

    Schedule(Graph graph) {
        List<Value> nodes = graph.nodes();
        args = new Value[nodes.size()][];
        transposed = new boolean[nodes.size()][];
        softmax = new LogSoftmax[nodes.size()];
        convs = new Conv[nodes.size()];
        rectified = new boolean[nodes.size()];
        maskedScatters = new Value[nodes.size()];
        maskedByValues = new boolean[nodes.size()];
        pooledGradients = new Value[nodes.size()];
        Set<Value> outputs = new HashSet<>(graph.outputs().values());
        Value[] same = new Value[nodes.size()];
        Map<String, Value> unaries = new HashMap<>();
        for (Value v : nodes) {
            Value[] a = v.inputs().toArray(Value[]::new);
            for (int i = 0; i < a.length; i++) {
                if (same[a[i].id()] != null) {
                    a[i] = same[a[i].id()];
                }
            }
            if (v.op() instanceof Unary u) {
                Value first = unaries.putIfAbsent(u.fn() + "/" + a[0].id(), v);
                if (first != null && !outputs.contains(v)) {
                    same[v.id()] = first;
                }
                if (u.fn() == UnaryFn.EXP && a[0].op() instanceof LogSoftmax l) {
                    softmax[v.id()] = l;
                    a[0] = args[a[0].id()][0];
                }
            }
            if (v.op() instanceof MatMul) {
                boolean[] t = new boolean[2];
                for (int i = 0; i < 2; i++) {
                    while (swapsLastAxes(a[i])) {
                        a[i] = a[i].input(0);
                        t[i] = !t[i];
                    }
                }
                transposed[v.id()] = t;
            }
            if (v.op() instanceof Conv c && WeightGradientKernel.applies(c.window(), c.group())
                    && swapsBatchAndChannels(a[0]) && swapsBatchAndChannels(a[1])) {
                a[0] = a[0].input(0);
                a[1] = a[1].input(0);
                transposed[v.id()] = new boolean[] {true, true};
            }
            args[v.id()] = a;
        }
        absorbEpilogues(nodes, outputs);
        readPooledGradients(nodes);
        boolean[] needed = new boolean[nodes.size()];
        for (Value out : graph.outputs().values()) {
            needed[out.id()] = true;
        }
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (needed[i]) {
                for (Value a : args[i]) {
                    needed[a.id()] = true;
                }
            }
        }
        for (Value v : nodes) {
            if (needed[v.id()]) {
                live.add(v);
            }
        }
        pooledWith = new Value[nodes.size()];
        pairPools();
    }

    /** Finds the convolutions whose bias and ReLU their kernel applies (see the class comment). */
    private void absorbEpilogues(List<Value> nodes, Set<Value> outputs) {
        int[] readers = new int[nodes.size()];
        for (Value v : nodes) {
            for (Value a : args[v.id()]) {
                readers[a.id()]++;
            }
        }
        for (Value out : outputs) {
            readers[out.id()]++;
        }
        // The pooled values that a masked scatter can read its mask from, computed before it.
        Map<String, Value> pools = valuePools(nodes);
        for (Value v : nodes) {
            Value[] a = args[v.id()];
            if (v.op() instanceof Binary b && b.fn() == BinaryFn.ADD) {
                for (int i = 0; i < 2; i++) {
                    Value c = a[i];
                    if (c.op() instanceof Conv conv && transposed[c.id()] == null && readers[c.id()] == 1
                            && perChannel(a[1 - i], c)) {
                        args[v.id()] = new Value[] {args[c.id()][0], args[c.id()][1], a[1 - i]};
                        convs[v.id()] = conv;
                        break;
                    }
                }
            } else if (v.op() instanceof Binary b && b.fn() == BinaryFn.MUL) {
                for (int i = 0; i < 2; i++) {
                    Value scatter = poolGradient(a[i], readers);
                    Value masked = positive(a[1 - i]);
                    if (scatter != null && masked == args[maxPoolOf(args[scatter.id()][1]).id()][0]) {
                        Value[] s = args[scatter.id()];
                        Value pooled = pools.get(poolKey(maxPoolOf(s[1])));
                        if (pooled != null && pooled.id() >= v.id()) {
                            pooled = null;
                        }
                        args[v.id()] = new Value[] {s[0], s[1], s[2], pooled != null ? pooled : masked};
                        maskedScatters[v.id()] = scatter;
                        maskedByValues[v.id()] = pooled != null;
                        break;
                    }
                }
            } else if (v.op() instanceof Unary u && u.fn() == UnaryFn.RELU && readers[a[0].id()] == 1) {
                // A Conv itself, or a Conv with its bias not yet rectified.
                Value p = a[0];
                Conv conv = p.op() instanceof Conv c && transposed[p.id()] == null ? c
                        : rectified[p.id()] ? null : convs[p.id()];
                if (conv != null) {
                    args[v.id()] = args[p.id()].clone();
                    convs[v.id()] = conv;
                    rectified[v.id()] = true;
                }
            }
        }
    }

    /** Points a first layer's kernel and bias gradients at the pooling's gradient (see the class comment). */
    private void readPooledGradients(List<Value> nodes) {
        for (Value v : nodes) {
            Value[] a = args[v.id()];
            // The kernel's class needs the vector API to load: ask whether it has one first.
            if (VectorApi.AVAILABLE && v.op() instanceof Conv c && transposed[v.id()] != null && byValues(a[1])
                    && PooledGradientKernel.applies(a[0].shape().dim(1), v.shape().dim(2), v.shape().dim(3),
                            c.window(), c.group())) {
                Value[] s = args[a[1].id()];
                args[v.id()] = new Value[] {a[0], s[1], s[2], s[3]};
                pooledGradients[v.id()] = a[1];
            } else if (v.op() instanceof Reduce r && r.fn() == ReduceFn.SUM && a[0].shape().rank() == 4
                    && Arrays.equals(r.axes(), new int[] {0, 2, 3}) && byValues(a[0])) {
                Value[] s = args[a[0].id()];
                args[v.id()] = new Value[] {s[2], s[3]};
                pooledGradients[v.id()] = a[0];
            }
        }
    }

    /** Whether v is a masked scatter whose mask is the pooled values. */
    private boolean byValues(Value v) {
        return maskedScatters[v.id()] != null && maskedByValues[v.id()];
    }

    /**
     * Whether node id runs as another kernel than its op's: a convolution with its epilogue, a masked scatter, a
     * gradient read from a pooling's.
     */
    boolean replaced(int id) {
        return convs[id] != null || maskedScatters[id] != null || pooledGradients[id] != null;
    }

    /** For positions that reshape a MaxPool's indices (its gradient's scatter positions): that MaxPool; else null. */
    static Value maxPoolOf(Value positions) {
        return positions.op() instanceof Reshape && positions.input(0).op() instanceof MaxPool p && p.indices()
                ? positions.input(0) : null;
    }

    /**
     * The ScatterElements of MaxPool positions into zeros that v is (or reshapes), read by v's reader alone; else
     * null.
     */
    private Value poolGradient(Value v, int[] readers) {
        if (readers[v.id()] != 1) {
            return null;
        }
        Value s = v.op() instanceof Reshape ? args[v.id()][0] : v;
        if (!(s.op() instanceof ScatterElements) || readers[s.id()] != 1 || s.shape().rank() != 1) {
            return null;
        }
        Value[] a = args[s.id()];
        return maxPoolOf(a[1]) != null && zeros(a[0]) ? s : null;
    }

    /** The first MaxPool of values among {@code nodes} for each x and window ({@link #poolKey}). */
    private Map<String, Value> valuePools(List<Value> nodes) {
        Map<String, Value> values = new HashMap<>();
        for (Value v : nodes) {
            if (v.op() instanceof MaxPool p && !p.indices()) {
                values.putIfAbsent(poolKey(v), v);
            }
        }
        return values;
    }

    /** A MaxPool's x (its effective argument), kernel and window. */
    private String poolKey(Value pool) {
        MaxPool p = (MaxPool) pool.op();
        return args[pool.id()][0].id() + "/" + p.kernelH() + "x" + p.kernelW() + "/" + p.window();
    }

    /** For {@code Cast<float>(Greater(a, 0))}: a; else null. */
    private Value positive(Value v) {
        if (!(v.op() instanceof Cast c) || c.to() != DType.FLOAT32) {
            return null;
        }
        Value compare = args[v.id()][0];
        if (!(compare.op() instanceof Compare cmp) || cmp.fn() != CompareFn.GREATER) {
            return null;
        }
        Value[] a = args[compare.id()];
        return zeros(a[1]) && a[1].shape().rank() == 0 ? a[0] : null;
    }

    /** Whether v is a constant of zeros, or one expanded. */
    static boolean zeros(Value v) {
        Value c = v.op() instanceof Expand ? v.input(0) : v;
        if (!(c.op() instanceof Constant k) || k.value().dtype() != DType.FLOAT32) {
            return false;
        }
        for (float f : k.value().floats()) {
            if (f != 0f) {
                return false;
            }
        }
        return true;
    }

    /** Whether b is a float bias of one element per output channel of convolution c, [O, 1, 1] or [1, O, 1, 1]. */
    private static boolean perChannel(Value b, Value c) {
        Shape bs = b.shape();
        Shape cs = c.shape();
        if (b.type().dtype() != DType.FLOAT32 || cs.rank() != 4 || Shape.isSymbolic(cs.dim(1))
                || bs.rank() < 3 || bs.rank() > 4 || bs.dim(bs.rank() - 3) != cs.dim(1)) {
            return false;
        }
        for (int d = 0; d < bs.rank(); d++) {
            if (d != bs.rank() - 3 && bs.dim(d) != 1) {
                return false;
            }
        }
        return true;
    }

    /** Moves each MaxPool's indices to right after the MaxPool of the same x and window (x is computed by then). */
    private void pairPools() {
        Map<String, Value> values = valuePools(live);
        for (Value v : List.copyOf(live)) {
            if (v.op() instanceof MaxPool p && p.indices()) {
                Value sibling = values.get(poolKey(v));
                if (sibling != null && live.indexOf(sibling) < live.indexOf(v)) {
                    live.remove(v);
                    live.add(live.indexOf(sibling) + 1, v);
                    pooledWith[v.id()] = sibling;
                }
            }
        }
    }

    private static boolean swapsBatchAndChannels(Value v) {
        return v.op() instanceof Transpose t && Arrays.equals(t.perm(), new int[] {1, 0, 2, 3});
    }

    private static boolean swapsLastAxes(Value v) {
        return v.op() instanceof Transpose t && Arrays.equals(t.perm(), MatMul.swapLastPerm(t.perm().length));
    }
}
