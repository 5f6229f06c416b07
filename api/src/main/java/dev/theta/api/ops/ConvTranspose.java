package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;

import java.util.List;

/**
 * 2-D transposed convolution (ONNX's {@code ConvTranspose}) of x [N, C, H, W] with weights [C, O/group, kH, kW]: the
 * adjoint of {@link Conv} with the same window, every input pixel adding x · w into the output at
 * i·s + a·d − pad. Output [N, O, Ho, Wo] with Ho = s·(H − 1) + outputPadH + d·(kH − 1) + 1 − padTop − padBottom.
 *
 * <p>It is the gradient of Conv with respect to its input; {@code outputPadding} (below the stride) gives back the
 * rows the convolution's windows never reached. Its own gradients are a convolution of g with the same weights, and
 * {@link Conv#kernelGradient} with the roles of x and g exchanged.
 */
public record ConvTranspose(Window window, int group, int outputPadH, int outputPadW) implements Op {
    public ConvTranspose {
        if (group < 1) {
            throw new IllegalArgumentException("group must be at least 1: " + group);
        }
        if (outputPadH < 0 || outputPadW < 0 || outputPadH >= window.strideH() || outputPadW >= window.strideW()) {
            throw new IllegalArgumentException("output padding [" + outputPadH + ", " + outputPadW
                    + "] must be non-negative and below the strides of " + window);
        }
    }

    @Override
    public String onnxName() {
        return "ConvTranspose";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 2);
        Shape x = Images.nchw(inputs.get(0), "input");
        Shape w = Images.nchw(inputs.get(1), "weights");
        if (x.dim(1) != w.dim(0) || Shape.isSymbolic(w.dim(1)) || w.dim(0) % group != 0) {
            throw new IllegalArgumentException("weights " + w + " must be [C, O/group, kH, kW] for input " + x
                    + " and group " + group);
        }
        int h = outputSize(0, x.dim(2), w.dim(2), outputPadH);
        int wd = outputSize(1, x.dim(3), w.dim(3), outputPadW);
        if (h < 1 || wd < 1) {
            throw new IllegalArgumentException("pads of " + window + " leave no output for input " + x);
        }
        return inputs.get(0).withShape(Shape.of(x.dim(0), group * w.dim(1), h, wd));
    }

    private int outputSize(int axis, int in, int kernel, int outputPad) {
        return window.stride(axis) * (in - 1) + outputPad + window.dilation(axis) * (kernel - 1) + 1
                - window.padBegin(axis) - window.padEnd(axis);
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        Value x = y.input(0);
        Value w = y.input(1);
        Shape ws = w.shape();
        return List.of(g.conv(w, window, group), Conv.kernelGradient(g, x, window, group, ws.dim(2), ws.dim(3)));
    }
}
