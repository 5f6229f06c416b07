package dev.theta.api.graph;

import dev.theta.api.ops.AveragePool;
import dev.theta.api.ops.Binary;
import dev.theta.api.ops.BinaryFn;
import dev.theta.api.ops.Cast;
import dev.theta.api.ops.Compare;
import dev.theta.api.ops.CompareFn;
import dev.theta.api.ops.Concat;
import dev.theta.api.ops.Conv;
import dev.theta.api.ops.ConvTranspose;
import dev.theta.api.ops.Expand;
import dev.theta.api.ops.EyeLike;
import dev.theta.api.ops.Gather;
import dev.theta.api.ops.GatherElements;
import dev.theta.api.ops.LogSoftmax;
import dev.theta.api.ops.MatMul;
import dev.theta.api.ops.MaxPool;
import dev.theta.api.ops.OneHot;
import dev.theta.api.ops.RandomBits;
import dev.theta.api.ops.Op;
import dev.theta.api.ops.Reduce;
import dev.theta.api.ops.ReduceFn;
import dev.theta.api.ops.Reshape;
import dev.theta.api.ops.ScatterElements;
import dev.theta.api.ops.Size;
import dev.theta.api.ops.Slice;
import dev.theta.api.ops.Transpose;
import dev.theta.api.ops.Unary;
import dev.theta.api.ops.UnaryFn;
import dev.theta.api.ops.Where;
import dev.theta.api.ops.Window;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A node of a {@link Graph}: the result of one primitive applied to earlier values. The fluent methods append new
 * nodes, so plugin code reads like the math: {@code x.matmul(w).add(b).logSoftmax(1)}.
 */
public final class Value {
    private final Graph graph;
    private final int id;
    private final Op op;
    private final List<Value> inputs;
    private final TensorType type;

    Value(Graph graph, int id, Op op, List<Value> inputs, TensorType type) {
        this.graph = graph;
        this.id = id;
        this.op = op;
        this.inputs = List.copyOf(inputs);
        this.type = type;
    }

    public Graph graph() {
        return graph;
    }

    /** Position in the graph's node list; inputs always have smaller ids. */
    public int id() {
        return id;
    }

    public Op op() {
        return op;
    }

    public List<Value> inputs() {
        return inputs;
    }

    public Value input(int i) {
        return inputs.get(i);
    }

    public TensorType type() {
        return type;
    }

    public Shape shape() {
        return type.shape();
    }

    // ---- elementwise, one argument

    private Value unary(UnaryFn fn) {
        return graph.apply(new Unary(fn), this);
    }

    public Value neg() { return unary(UnaryFn.NEG); }
    public Value exp() { return unary(UnaryFn.EXP); }
    public Value log() { return unary(UnaryFn.LOG); }
    public Value sqrt() { return unary(UnaryFn.SQRT); }
    public Value abs() { return unary(UnaryFn.ABS); }
    public Value sign() { return unary(UnaryFn.SIGN); }
    public Value relu() { return unary(UnaryFn.RELU); }
    public Value tanh() { return unary(UnaryFn.TANH); }
    public Value sigmoid() { return unary(UnaryFn.SIGMOID); }
    /** The error function (ONNX Erf), as in the exact GELU x · (1 + erf(x / √2)) / 2. */
    public Value erf() { return unary(UnaryFn.ERF); }

    /**
     * log(1 + exp(x)) in the stable form m + log(exp(−m) + exp(x − m)) with m = relu(x): no overflow for any x, and
     * the gradient is exactly sigmoid(x) whichever way the kink of m is differentiated (at x = 0 too).
     */
    public Value softplus() {
        Value m = relu();
        return m.add(m.neg().exp().add(sub(m).exp()).log());
    }

    // ---- elementwise, two arguments (broadcasting)

    private Value binary(BinaryFn fn, Value other) {
        return graph.apply(new Binary(fn), this, other);
    }

    public Value add(Value o) { return binary(BinaryFn.ADD, o); }
    public Value sub(Value o) { return binary(BinaryFn.SUB, o); }
    public Value mul(Value o) { return binary(BinaryFn.MUL, o); }
    public Value div(Value o) { return binary(BinaryFn.DIV, o); }
    public Value pow(Value o) { return binary(BinaryFn.POW, o); }
    public Value max(Value o) { return binary(BinaryFn.MAX, o); }
    public Value min(Value o) { return binary(BinaryFn.MIN, o); }

    public Value add(float c) { return add(scalarLike(c)); }
    public Value sub(float c) { return sub(scalarLike(c)); }
    public Value mul(float c) { return mul(scalarLike(c)); }
    public Value div(float c) { return div(scalarLike(c)); }
    public Value pow(float c) { return pow(scalarLike(c)); }
    public Value max(float c) { return max(scalarLike(c)); }
    public Value min(float c) { return min(scalarLike(c)); }

    /** {@code c - this}. */
    public Value rsub(float c) { return scalarLike(c).sub(this); }

    /** A scalar zero of this value's type; it broadcasts against anything. */
    public Value zero() {
        return scalarLike(0f);
    }

    private Value scalarLike(float c) {
        return type.dtype() == DType.INT64 ? graph.constant(Tensor.of(Shape.SCALAR, (long) c)) : graph.scalar(c);
    }

    // ---- comparisons and selection

    public Value less(Value o) { return graph.apply(new Compare(CompareFn.LESS), this, o); }
    public Value greater(Value o) { return graph.apply(new Compare(CompareFn.GREATER), this, o); }
    public Value equal(Value o) { return graph.apply(new Compare(CompareFn.EQUAL), this, o); }
    public Value less(float c) { return less(scalarLike(c)); }
    public Value greater(float c) { return greater(scalarLike(c)); }

    /** {@code this ? ifTrue : ifFalse} elementwise; this must be bool. */
    public Value where(Value ifTrue, Value ifFalse) {
        return graph.apply(new Where(), this, ifTrue, ifFalse);
    }

    // ---- reductions

    public Value reduce(ReduceFn fn, int[] axes, boolean keepDims) {
        int[] normalized = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            normalized[i] = shape().axis(axes[i]);
        }
        return graph.apply(new Reduce(fn, normalized, keepDims), this);
    }

    /** Sum over the given axes, or over all axes when none are given. */
    public Value sum(int... axes) { return reduce(ReduceFn.SUM, orAll(axes), false); }
    public Value sumKeep(int... axes) { return reduce(ReduceFn.SUM, orAll(axes), true); }
    public Value mean(int... axes) { return reduce(ReduceFn.MEAN, orAll(axes), false); }
    public Value amax(int... axes) { return reduce(ReduceFn.MAX, orAll(axes), false); }
    public Value amaxKeep(int... axes) { return reduce(ReduceFn.MAX, orAll(axes), true); }

    private int[] orAll(int[] axes) {
        if (axes.length > 0) {
            return axes;
        }
        int[] all = new int[shape().rank()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    public Value logSoftmax(int axis) {
        return graph.apply(new LogSoftmax(axis), this);
    }

    public Value softmax(int axis) {
        return logSoftmax(axis).exp();
    }

    // ---- linear algebra and indexing

    public Value matmul(Value o) {
        return graph.apply(new MatMul(), this, o);
    }

    /** Rows of this (as a table) picked by int64 indices. */
    public Value gather(Value indices) {
        return graph.apply(new Gather(), this, indices);
    }

    public Value gatherElements(Value indices, int axis) {
        return graph.apply(new GatherElements(axis), this, indices);
    }

    /** This (float32) plus {@code updates} added at {@code indices} along {@code axis} (ScatterElements, "add"). */
    public Value scatterAdd(Value indices, Value updates, int axis) {
        return graph.apply(new ScatterElements(axis), this, indices, updates);
    }

    public Value oneHot(int depth) {
        return graph.apply(new OneHot(depth), this);
    }

    /** The identity matrix (float32) of this rank-2 value's shape. */
    public Value eyeLike() {
        return graph.apply(new EyeLike(), this);
    }

    /**
     * {@link RandomBits}: int64 bits in [0, 2^31) of this value's shape, a pure function of ({@code stream},
     * {@code counter}, element index); {@code counter} is an int64 scalar.
     */
    public Value randomBits(long stream, Value counter) {
        return graph.apply(new RandomBits(stream), this, counter);
    }

    // ---- images [N, C, H, W]

    /** Convolution with weights [O, C/group, kH, kW] (ONNX Conv). */
    public Value conv(Value weights, Window window, int group) {
        return graph.apply(new Conv(window, group), this, weights);
    }

    /** Convolution with weights [O, C, kH, kW], the same stride and pad on both axes, no dilation. */
    public Value conv(Value weights, int stride, int pad) {
        return conv(weights, Window.of(stride, pad, 1), 1);
    }

    /** Transposed convolution with weights [C, O/group, kH, kW] (ONNX ConvTranspose). */
    public Value convTranspose(Value weights, Window window, int group, int outputPadH, int outputPadW) {
        return graph.apply(new ConvTranspose(window, group, outputPadH, outputPadW), this, weights);
    }

    public Value maxPool(int kernelH, int kernelW, Window window) {
        return graph.apply(new MaxPool(kernelH, kernelW, window, false), this);
    }

    /** Max pooling over k × k windows with the given stride, no padding. */
    public Value maxPool(int kernel, int stride) {
        return maxPool(kernel, kernel, Window.of(stride, 0, 1));
    }

    /** For each max-pooling window, the flat position in this tensor of its first maximum (int64). */
    public Value maxPoolIndices(int kernelH, int kernelW, Window window) {
        return graph.apply(new MaxPool(kernelH, kernelW, window, true), this);
    }

    public Value averagePool(int kernelH, int kernelW, Window window, boolean countIncludePad) {
        return graph.apply(new AveragePool(kernelH, kernelW, window, countIncludePad), this);
    }

    /** Average pooling over k × k windows with the given stride, no padding. */
    public Value averagePool(int kernel, int stride) {
        return averagePool(kernel, kernel, Window.of(stride, 0, 1), true);
    }

    /**
     * The mean of each channel, [N, C, 1, 1]: ONNX's GlobalAveragePool, built as ReduceMean over height and width,
     * which is the same function with a gradient rule already in place.
     */
    public Value globalAveragePool() {
        return reduce(ReduceFn.MEAN, new int[] {2, 3}, true);
    }

    // ---- layout

    public Value transpose(int... perm) {
        return graph.apply(new Transpose(perm), this);
    }

    public Value reshape(Shape target) {
        return target.equals(shape()) ? this : graph.apply(new Reshape(target), this);
    }

    public Value reshape(int... dims) {
        return reshape(Shape.of(dims));
    }

    /** [d0, d1, ...] to [d0, d1 · d2 · ...]: an image per row, as dense layers read it. */
    public Value flatten() {
        int[] dims = shape().dims();
        int rest = 1;
        for (int i = 1; i < dims.length; i++) {
            rest = Math.multiplyExact(rest, dims[i]);
        }
        return reshape(dims[0], rest);
    }

    public Value expand(Shape target) {
        return target.equals(shape()) ? this : graph.apply(new Expand(target), this);
    }

    public Value concat(int axis, List<Value> others) {
        List<Value> all = new ArrayList<>();
        all.add(this);
        all.addAll(others);
        return graph.apply(new Concat(axis), all.toArray(Value[]::new));
    }

    public Value slice(int axis, int start, int end) {
        return graph.apply(new Slice(axis, start, end), this);
    }

    public Value cast(DType to) {
        return to == type.dtype() ? this : graph.apply(new Cast(to), this);
    }

    /** Number of elements, as an int64 scalar. */
    public Value size() {
        return graph.apply(new Size(), this);
    }

    /** One line: {@code %7 = MatMul(%3, %5) : float32[N, 10]}. */
    public String describe() {
        return "%" + id + " = " + op + inputs.stream().map(v -> "%" + v.id).collect(Collectors.joining(", ", "(", ")"))
                + " : " + type;
    }

    @Override
    public String toString() {
        return "%" + id + ":" + type;
    }
}
