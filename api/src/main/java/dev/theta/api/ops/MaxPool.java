package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.Arrays;
import java.util.List;

/**
 * 2-D max pooling (ONNX's {@code MaxPool}) of x [N, C, H, W] over kH × kW windows, padding never winning; output
 * [N, C, Ho, Wo]. With {@code indices}, the result is ONNX MaxPool's second output instead: for each window, the
 * row-major position in all of x (n, c, h and w) of its first maximum, as int64. Where no pixel of a window is
 * larger than its first (all NaN, say), the first one is taken, so every position is a valid one.
 *
 * <p>The gradient adds g into x at those positions ({@link ScatterElements}); overlapping windows that share a
 * maximum add up there.
 */
public record MaxPool(int kernelH, int kernelW, Window window, boolean indices) implements Op {
    public MaxPool {
        Images.padsInsideKernel(window, kernelH, kernelW);
    }

    @Override
    public String onnxName() {
        return "MaxPool";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 1);
        Shape x = Images.nchw(inputs.get(0), "input");
        Shape out = Images.pooled(x, x.dim(1), window, kernelH, kernelW);
        return new TensorType(indices ? DType.INT64 : DType.FLOAT32, out);
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        if (indices) {
            return Arrays.asList((Value) null);
        }
        Value x = y.input(0);
        Shape xs = x.shape();
        int flatX = xs.elementCountDim();
        int flatY = g.shape().elementCountDim();
        Value positions = x.maxPoolIndices(kernelH, kernelW, window).reshape(flatY);
        Value dx = x.zero().expand(Shape.of(flatX)).scatterAdd(positions, g.reshape(flatY), 0);
        return List.of(dx.reshape(xs));
    }
}
