package dev.theta.api.reference;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Value;
import dev.theta.api.ops.AveragePool;
import dev.theta.api.ops.Binary;
import dev.theta.api.ops.Cast;
import dev.theta.api.ops.Compare;
import dev.theta.api.ops.Concat;
import dev.theta.api.ops.Constant;
import dev.theta.api.ops.Conv;
import dev.theta.api.ops.ConvTranspose;
import dev.theta.api.ops.Expand;
import dev.theta.api.ops.EyeLike;
import dev.theta.api.ops.Gather;
import dev.theta.api.ops.GatherElements;
import dev.theta.api.ops.Input;
import dev.theta.api.ops.LogSoftmax;
import dev.theta.api.ops.MatMul;
import dev.theta.api.ops.MaxPool;
import dev.theta.api.ops.OneHot;
import dev.theta.api.ops.RandomBits;
import dev.theta.api.ops.Reduce;
import dev.theta.api.ops.Reshape;
import dev.theta.api.ops.ScatterElements;
import dev.theta.api.ops.Size;
import dev.theta.api.ops.Slice;
import dev.theta.api.ops.Transpose;
import dev.theta.api.ops.Unary;
import dev.theta.api.ops.Where;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Evaluates a {@link Graph} in double precision, one primitive at a time, written for obviousness rather than
 * speed: it is the oracle every backend is compared with.
 *
 * <p>Every value is a row-major {@code double[]} of its shape with the symbolic batch size resolved to
 * {@code batch}. Float32 values are plain doubles (no rounding to float), int64 values are doubles holding whole
 * numbers (exact up to 2^53), bool values are 0 or 1. Only the nodes the requested outputs depend on are evaluated.
 * Index errors (Gather and GatherElements indices out of range) fail rather than wrap; OneHot gives an all-zero row
 * for an index outside [0, depth), as ONNX does for non-negative indices.
 */
public final class ReferenceInterpreter {
    private ReferenceInterpreter() {
    }

    /** All named outputs of {@code graph}. Inputs not given fall back to the graph's initial values. */
    public static Map<String, double[]> run(Graph graph, int batch, Map<String, double[]> inputs) {
        return run(graph, batch, inputs, graph.outputs().keySet());
    }

    /** The named outputs {@code outputs} of {@code graph}. */
    public static Map<String, double[]> run(Graph graph, int batch, Map<String, double[]> inputs, Collection<String> outputs) {
        List<Value> targets = new ArrayList<>();
        for (String name : outputs) {
            Value v = graph.outputs().get(name);
            if (v == null) {
                throw new IllegalArgumentException("graph has no output '" + name + "'; outputs: " + graph.outputs().keySet());
            }
            targets.add(v);
        }
        Map<Value, double[]> values = evaluate(graph, batch, inputs, targets);
        Map<String, double[]> result = new LinkedHashMap<>();
        for (String name : outputs) {
            result.put(name, values.get(graph.outputs().get(name)));
        }
        return result;
    }

    /** The values of {@code targets} and of every node they depend on. */
    public static Map<Value, double[]> evaluate(Graph graph, int batch, Map<String, double[]> inputs, Collection<Value> targets) {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch size must be positive: " + batch);
        }
        boolean[] needed = new boolean[graph.nodes().size()];
        Deque<Value> todo = new ArrayDeque<>(targets);
        while (!todo.isEmpty()) {
            Value v = todo.pop();
            if (!needed[v.id()]) {
                needed[v.id()] = true;
                todo.addAll(v.inputs());
            }
        }
        Map<Value, double[]> values = new HashMap<>();
        for (Value v : graph.nodes()) {
            if (!needed[v.id()]) {
                continue;
            }
            List<double[]> args = v.inputs().stream().map(values::get).toList();
            double[] out = v.op() instanceof Input in ? input(graph, in, inputs) : apply(v, args, batch);
            int expected = v.shape().size(batch);
            if (out.length != expected) {
                throw new IllegalStateException(v.describe() + ": got " + out.length + " values, type says " + expected);
            }
            values.put(v, out);
        }
        return values;
    }

    private static double[] input(Graph graph, Input in, Map<String, double[]> inputs) {
        double[] given = inputs.get(in.name());
        if (given != null) {
            return given.clone();
        }
        Tensor initial = graph.initialValues().get(in.name());
        if (initial == null) {
            throw new IllegalArgumentException("no value for graph input '" + in.name() + "'");
        }
        return toDoubles(initial);
    }

    /** The elements of a tensor as doubles, whatever its type. */
    public static double[] toDoubles(Tensor t) {
        double[] d = new double[t.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.get(i);
        }
        return d;
    }

    private static double[] apply(Value v, List<double[]> args, int batch) {
        int[] out = dims(v, batch);
        return switch (v.op()) {
            case Input in -> throw new IllegalStateException("inputs are read, not applied: " + in);
            case Constant c -> toDoubles(c.value());
            case Unary u -> map(args.get(0), u.fn()::reference);
            case Binary b -> {
                int[] ad = dims(v.input(0), batch);
                int[] bd = dims(v.input(1), batch);
                double[] r = new double[Indexing.count(out)];
                for (int i = 0; i < r.length; i++) {
                    int[] idx = Indexing.unravel(i, out);
                    r[i] = b.fn().reference(args.get(0)[Indexing.broadcastIndex(idx, ad)], args.get(1)[Indexing.broadcastIndex(idx, bd)]);
                }
                yield r;
            }
            case Compare c -> {
                int[] ad = dims(v.input(0), batch);
                int[] bd = dims(v.input(1), batch);
                double[] r = new double[Indexing.count(out)];
                for (int i = 0; i < r.length; i++) {
                    int[] idx = Indexing.unravel(i, out);
                    r[i] = c.fn().reference(args.get(0)[Indexing.broadcastIndex(idx, ad)], args.get(1)[Indexing.broadcastIndex(idx, bd)]) ? 1 : 0;
                }
                yield r;
            }
            case Where w -> {
                double[] r = new double[Indexing.count(out)];
                for (int i = 0; i < r.length; i++) {
                    int[] idx = Indexing.unravel(i, out);
                    boolean cond = args.get(0)[Indexing.broadcastIndex(idx, dims(v.input(0), batch))] != 0;
                    int k = cond ? 1 : 2;
                    r[i] = args.get(k)[Indexing.broadcastIndex(idx, dims(v.input(k), batch))];
                }
                yield r;
            }
            case Reduce red -> ReferenceAlgebra.reduce(red, args.get(0), dims(v.input(0), batch), out);
            case LogSoftmax ls -> ReferenceAlgebra.logSoftmax(args.get(0), out, v.shape().axis(ls.axis()));
            case MatMul m -> ReferenceAlgebra.matMul(args.get(0), dims(v.input(0), batch), args.get(1), dims(v.input(1), batch), out);
            case Gather g -> {
                int[] dd = dims(v.input(0), batch);
                int indexRank = v.input(1).shape().rank();
                double[] r = new double[Indexing.count(out)];
                for (int i = 0; i < r.length; i++) {
                    int[] idx = Indexing.unravel(i, out);
                    int[] indexPos = Arrays.copyOfRange(idx, 0, indexRank);
                    int row = index(args.get(1)[Indexing.ravel(indexPos, dims(v.input(1), batch))], dd[0], "Gather");
                    int[] dataPos = new int[dd.length];
                    dataPos[0] = row;
                    System.arraycopy(idx, indexRank, dataPos, 1, dd.length - 1);
                    r[i] = args.get(0)[Indexing.ravel(dataPos, dd)];
                }
                yield r;
            }
            case GatherElements ge -> {
                int[] dd = dims(v.input(0), batch);
                int a = v.shape().axis(ge.axis());
                double[] r = new double[Indexing.count(out)];
                for (int i = 0; i < r.length; i++) {
                    int[] idx = Indexing.unravel(i, out);
                    idx[a] = index(args.get(1)[i], dd[a], "GatherElements");
                    r[i] = args.get(0)[Indexing.ravel(idx, dd)];
                }
                yield r;
            }
            case OneHot oh -> {
                double[] r = new double[Indexing.count(out)];
                for (int i = 0; i < r.length; i++) {
                    int k = i % oh.depth();
                    r[i] = args.get(0)[i / oh.depth()] == k ? 1 : 0;
                }
                yield r;
            }
            case Transpose t -> {
                int[] in = dims(v.input(0), batch);
                int[] perm = t.perm();
                double[] r = new double[Indexing.count(out)];
                for (int i = 0; i < r.length; i++) {
                    int[] idx = Indexing.unravel(i, out);
                    int[] src = new int[in.length];
                    for (int d = 0; d < perm.length; d++) {
                        src[perm[d]] = idx[d];
                    }
                    r[i] = args.get(0)[Indexing.ravel(src, in)];
                }
                yield r;
            }
            case Reshape rs -> args.get(0).clone();
            case Expand e -> {
                int[] in = dims(v.input(0), batch);
                double[] r = new double[Indexing.count(out)];
                for (int i = 0; i < r.length; i++) {
                    r[i] = args.get(0)[Indexing.broadcastIndex(Indexing.unravel(i, out), in)];
                }
                yield r;
            }
            case Concat c -> {
                int a = v.shape().axis(c.axis());
                double[] r = new double[Indexing.count(out)];
                for (int i = 0; i < r.length; i++) {
                    int[] idx = Indexing.unravel(i, out);
                    int k = 0;
                    int[] part = dims(v.input(0), batch);
                    while (idx[a] >= part[a]) {
                        idx[a] -= part[a];
                        part = dims(v.input(++k), batch);
                    }
                    r[i] = args.get(k)[Indexing.ravel(idx, part)];
                }
                yield r;
            }
            case Slice s -> {
                int[] in = dims(v.input(0), batch);
                int a = v.shape().axis(s.axis());
                double[] r = new double[Indexing.count(out)];
                for (int i = 0; i < r.length; i++) {
                    int[] idx = Indexing.unravel(i, out);
                    idx[a] += s.start();
                    r[i] = args.get(0)[Indexing.ravel(idx, in)];
                }
                yield r;
            }
            case Cast c -> map(args.get(0), x -> switch (c.to()) {
                case FLOAT32 -> x;
                case INT64 -> (double) (long) x;
                case BOOL -> x != 0 ? 1 : 0;
            });
            case Size s -> new double[] {Indexing.count(dims(v.input(0), batch))};
            case EyeLike e -> {
                int[] d = dims(v, batch);
                double[] r = new double[d[0] * d[1]];
                for (int i = 0; i < Math.min(d[0], d[1]); i++) {
                    r[i * d[1] + i] = 1;
                }
                yield r;
            }
            case RandomBits r -> {
                double[] bits = new double[Indexing.count(dims(v, batch))];
                long counter = (long) args.get(1)[0];
                for (int i = 0; i < bits.length; i++) {
                    bits[i] = RandomBits.bits(r.stream(), counter, i);
                }
                yield bits;
            }
            case Conv c -> ImageReference.conv(c, args.get(0), dims(v.input(0), batch), args.get(1),
                    dims(v.input(1), batch), out);
            case ConvTranspose c -> ImageReference.convTranspose(c, args.get(0), dims(v.input(0), batch), args.get(1),
                    dims(v.input(1), batch), out);
            case MaxPool p -> ImageReference.maxPool(p, args.get(0), dims(v.input(0), batch), out);
            case AveragePool p -> ImageReference.averagePool(p, args.get(0), dims(v.input(0), batch), out);
            case ScatterElements s -> ImageReference.scatterAdd(args.get(0), out, v.shape().axis(s.axis()), args.get(1),
                    dims(v.input(1), batch), args.get(2));
        };
    }

    private static int index(double value, int size, String op) {
        if (value < 0 || value >= size || value != Math.rint(value)) {
            throw new IllegalArgumentException(op + " index " + value + " out of range [0, " + size + ")");
        }
        return (int) value;
    }

    private static double[] map(double[] x, DoubleUnaryOperator f) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = f.applyAsDouble(x[i]);
        }
        return r;
    }

    private static int[] dims(Value v, int batch) {
        return v.shape().resolve(batch).dims();
    }

    /** Converts doubles to a tensor of {@code dtype}: float32 and bool round to float, int64 to long. */
    public static void copyInto(double[] values, Tensor target) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException(values.length + " values for " + target);
        }
        if (target.dtype() == DType.INT64) {
            long[] l = target.longs();
            for (int i = 0; i < values.length; i++) {
                l[i] = (long) values[i];
            }
        } else {
            float[] f = target.floats();
            for (int i = 0; i < values.length; i++) {
                f[i] = (float) values[i];
            }
        }
    }
}
