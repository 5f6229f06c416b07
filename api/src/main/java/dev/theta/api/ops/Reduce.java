package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;

import java.util.Arrays;
import java.util.List;

/** Reduction over {@code axes} (sorted, non-negative), keeping them as size 1 when {@code keepDims}. */
public record Reduce(ReduceFn fn, int[] axes, boolean keepDims) implements Op {

    public Reduce {
        axes = axes.clone();
        Arrays.sort(axes);
    }

    @Override
    public String onnxName() {
        return fn.onnxName();
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 1);
        Checks.floating(inputs.get(0));
        return inputs.get(0).withShape(reducedShape(inputs.get(0).shape(), axes, keepDims));
    }

    static Shape reducedShape(Shape in, int[] axes, boolean keepDims) {
        boolean[] reduced = new boolean[in.rank()];
        for (int a : axes) {
            if (a < 0 || a >= in.rank()) {
                throw new IllegalArgumentException("axis " + a + " out of range for " + in);
            }
            reduced[a] = true;
        }
        int[] dims = in.dims();
        int[] out = new int[keepDims ? dims.length : dims.length - (int) Arrays.stream(axes).distinct().count()];
        int j = 0;
        for (int i = 0; i < dims.length; i++) {
            if (!reduced[i]) {
                out[j++] = dims[i];
            } else if (keepDims) {
                out[j++] = 1;
            }
        }
        return Shape.of(out);
    }

    /** Broadcasts a reduced value (without kept dims) back to the shape of {@code x}. */
    static Value expandBack(Value reduced, Value x, int[] axes) {
        Shape kept = reducedShape(x.type().shape(), axes, true);
        return reduced.reshape(kept).expand(x.type().shape());
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        Value x = y.input(0);
        Value gUnreduced = keepDims ? g : g.reshape(reducedShape(x.type().shape(), axes, true));
        Value yUnreduced = keepDims ? y : y.reshape(reducedShape(x.type().shape(), axes, true));
        Shape xs = x.type().shape();
        return List.of(fn.vjp(x, yUnreduced.expand(xs), gUnreduced.expand(xs), y));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reduce r && r.fn == fn && r.keepDims == keepDims && Arrays.equals(r.axes, axes);
    }

    @Override
    public int hashCode() {
        return fn.hashCode() * 31 + Arrays.hashCode(axes) + (keepDims ? 1 : 0);
    }

    @Override
    public String toString() {
        return "Reduce[" + fn + ", axes=" + Arrays.toString(axes) + ", keepDims=" + keepDims + "]";
    }
}
