package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;

import java.util.List;

/**
 * 2-D convolution (cross-correlation, as ONNX's {@code Conv}) of x [N, C, H, W] with weights [O, C/group, kH, kW]:
 * y[n, o, i, j] = Σ x[n, c, i·sH + a·dH − padTop, j·sW + b·dW − padLeft] · w[o, c', a, b] over the input channels
 * c of o's group and the kernel positions (a, b), zero outside the image. Output [N, O, Ho, Wo].
 *
 * <p>Gradients: for x, the transposed convolution of g with the same weights ({@link ConvTranspose}, its output
 * padding restoring rows no window reached); for the weights, a convolution of x with g as the kernel
 * ({@link #kernelGradient}).
 */
public record Conv(Window window, int group) implements Op {
    public Conv {
        if (group < 1) {
            throw new IllegalArgumentException("group must be at least 1: " + group);
        }
    }

    @Override
    public String onnxName() {
        return "Conv";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 2);
        Shape x = Images.nchw(inputs.get(0), "input");
        Shape w = Images.nchw(inputs.get(1), "weights");
        int outChannels = w.dim(0);
        if (Shape.isSymbolic(outChannels) || outChannels % group != 0) {
            throw new IllegalArgumentException("weights' output channels " + outChannels
                    + " must be static and divisible by group " + group);
        }
        // Dims k·N encode as −k, so "C = group · C/group" holds for batch-sized channels too.
        if (x.dim(1) != group * w.dim(1)) {
            throw new IllegalArgumentException("input channels of " + x + " must be group " + group
                    + " times the weights' " + w.dim(1) + " (weights " + w + ")");
        }
        return inputs.get(0).withShape(Images.pooled(x, outChannels, window, w.dim(2), w.dim(3)));
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        Value x = y.input(0);
        Value w = y.input(1);
        Shape xs = x.shape();
        Shape ws = w.shape();
        Value dx = g.convTranspose(w, window, group, window.remainder(0, xs.dim(2), ws.dim(2)),
                window.remainder(1, xs.dim(3), ws.dim(3)));
        return List.of(dx, kernelGradient(x, g, window, group, ws.dim(2), ws.dim(3)));
    }

    /**
     * dL/dw [O, C/group, kH, kW] of a convolution of {@code x} [N, C, H, W] whose output gradient is {@code g}
     * [N, O, Ho, Wo]: dw[o, c, a, b] = Σ over n, i, j of g[n, o, i, j] · x[n, c of o's group, i·s + a·d − pad].
     * That is itself a convolution, with the roles of batch and channels exchanged (x as [C/group, group·N, H, W],
     * g as the kernel [O, N, Ho, Wo], one group per group of x) and strides and dilations exchanged; where the
     * stride left rows unread, it yields more than kH rows: end padding that only those rows read is left out, and
     * rows still extra are dropped.
     */
    static Value kernelGradient(Value x, Value g, Window window, int group, int kernelH, int kernelW) {
        Shape xs = x.shape();
        Shape gs = g.shape();
        int n = xs.dim(0);
        int perGroup = xs.dim(1) / group;
        Value images;
        Value kernel;
        if (group == 1) {
            images = x.transpose(1, 0, 2, 3);
            kernel = g.transpose(1, 0, 2, 3);
        } else {
            images = x.reshape(n, group, perGroup, xs.dim(2), xs.dim(3)).transpose(2, 1, 0, 3, 4)
                    .reshape(perGroup, group * n, xs.dim(2), xs.dim(3));
            kernel = g.reshape(n, group, gs.dim(1) / group, gs.dim(2), gs.dim(3)).transpose(1, 2, 0, 3, 4)
                    .reshape(gs.dim(1), n, gs.dim(2), gs.dim(3));
        }
        Window swapped = window.stridesAsDilations();
        int extraH = swapped.outputSize(0, xs.dim(2), gs.dim(2)) - kernelH;
        int extraW = swapped.outputSize(1, xs.dim(3), gs.dim(3)) - kernelW;
        Value dw = images.conv(kernel, swapped.trimEnds(extraH * swapped.strideH(), extraW * swapped.strideW()), group);
        if (dw.shape().dim(2) > kernelH) {
            dw = dw.slice(2, 0, kernelH);
        }
        if (dw.shape().dim(3) > kernelW) {
            dw = dw.slice(3, 0, kernelW);
        }
        return dw.transpose(1, 0, 2, 3);
    }
}
