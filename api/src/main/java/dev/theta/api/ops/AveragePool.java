package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * 2-D average pooling (ONNX's {@code AveragePool}, opset 17: no dilations) of x [N, C, H, W] over kH × kW windows;
 * output [N, C, Ho, Wo]. With {@code countIncludePad} every window divides by kH·kW, otherwise by the number of its
 * pixels inside the image (ONNX's default).
 *
 * <p>Each output is a fixed linear combination of its window, so the gradient is the transposed convolution of
 * g / count with a kernel of ones, one image per channel.
 */
public record AveragePool(int kernelH, int kernelW, Window window, boolean countIncludePad) implements Op {
    public AveragePool {
        Images.padsInsideKernel(window, kernelH, kernelW);
        if (!window.undilated()) {
            throw new IllegalArgumentException("AveragePool has no dilations (ONNX opset 17): " + window);
        }
    }

    @Override
    public String onnxName() {
        return "AveragePool";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 1);
        Shape x = Images.nchw(inputs.get(0), "input");
        return inputs.get(0).withShape(Images.pooled(x, x.dim(1), window, kernelH, kernelW));
    }

    /** For each output pixel, the number of window pixels it averages: [Ho, Wo]. */
    public float[] counts(int height, int width) {
        int ho = window.outputSize(0, height, kernelH);
        int wo = window.outputSize(1, width, kernelW);
        float[] counts = new float[ho * wo];
        for (int i = 0; i < ho; i++) {
            int rows = countIncludePad ? kernelH : inside(i * window.strideH() - window.padTop(), kernelH, height);
            for (int j = 0; j < wo; j++) {
                int cols = countIncludePad ? kernelW : inside(j * window.strideW() - window.padLeft(), kernelW, width);
                counts[i * wo + j] = rows * cols;
            }
        }
        return counts;
    }

    private static int inside(int start, int kernel, int size) {
        return Math.min(start + kernel, size) - Math.max(start, 0);
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        Value x = y.input(0);
        Shape xs = x.shape();
        Shape gs = g.shape();
        int images = xs.dim(0) * xs.dim(1);
        Value perPixel = g.div(g.graph().constant(Tensor.of(Shape.of(gs.dim(2), gs.dim(3)), counts(xs.dim(2), xs.dim(3)))));
        Value ones = g.graph().constant(Tensor.of(Shape.of(1, 1, kernelH, kernelW), ones(kernelH * kernelW)));
        Value dx = perPixel.reshape(images, 1, gs.dim(2), gs.dim(3)).convTranspose(ones, window, 1,
                window.remainder(0, xs.dim(2), kernelH), window.remainder(1, xs.dim(3), kernelW));
        return List.of(dx.reshape(xs));
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        Arrays.fill(v, 1f);
        return v;
    }
}
