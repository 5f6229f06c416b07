package dev.theta.api.graph;

import dev.theta.api.ops.ReduceFn;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

/**
 * Batch normalization over axis 1 (the channels) of x [N, C] or [N, C, H, W], as PyTorch's {@code nn.BatchNorm1d/2d},
 * composed of primitives (ReduceMean, Sub, Mul, Div, Sqrt, Add), so autodiff gives its exact gradient and ONNX Runtime
 * runs every part of it, the training mode included. Statistics reduce over every axis but 1; M is the number of
 * values per channel (N·H·W).
 */
public final class BatchNorm {
    /** PyTorch's default momentum of the running statistics. */
    public static final double MOMENTUM = 0.1;
    /** PyTorch's default ε. */
    public static final double EPS = 1e-5;

    private BatchNorm() {
    }

    /**
     * A batch's statistics: {@code centred} = x − mean, the mean and the biased variance [1, C, 1, ...], and the
     * unbiased variance [C] (biased · M / (M − 1), M / 1 for a single value per channel).
     */
    public record Moments(Value centred, Value mean, Value variance, Value unbiasedVariance) {
    }

    /** Throws {@link IllegalArgumentException} unless x is float32 [N, C, ...] with static C, 0 ≤ momentum ≤ 1 and ε > 0. */
    public static void check(Value x, double momentum, double eps) {
        Shape s = x.shape();
        if (x.type().dtype() != DType.FLOAT32 || s.rank() < 2 || Shape.isSymbolic(s.dim(1))) {
            throw new IllegalArgumentException("batch normalization needs float32 [N, C] or [N, C, H, W] values with a"
                    + " static C, got " + x.type());
        }
        for (int a = 2; a < s.rank(); a++) {
            if (Shape.isSymbolic(s.dim(a))) {
                throw new IllegalArgumentException("batch normalization needs static sizes past the batch, got " + s);
            }
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("batch normalization momentum must be in [0, 1]: " + momentum);
        }
        if (!(eps > 0 && Double.isFinite(eps))) {
            throw new IllegalArgumentException("batch normalization eps must be positive: " + eps);
        }
    }

    /** The batch's per-channel statistics of x. */
    public static Moments moments(Value x) {
        int[] axes = statisticAxes(x.shape().rank());
        Value mean = x.reduce(ReduceFn.MEAN, axes, true);
        Value centred = x.sub(mean);
        Value variance = centred.mul(centred).reduce(ReduceFn.MEAN, axes, true);
        int channels = x.shape().dim(1);
        Value count = x.size().cast(DType.FLOAT32).div((float) channels);
        // PyTorch refuses one value per channel in training; M / max(M − 1, 1) keeps the update finite instead.
        Value bessel = count.div(count.sub(1f).max(1f));
        return new Moments(centred, mean, variance, variance.reshape(channels).mul(bessel));
    }

    /** Training mode: (x − mean) / √(var + ε) · weight + bias with the batch's biased variance; weight and bias [C]. */
    public static Value normalize(Moments m, Value weight, Value bias, double eps) {
        int rank = m.centred().shape().rank();
        Value scale = perChannel(weight, rank).div(m.variance().add((float) eps).sqrt());
        return m.centred().mul(scale).add(perChannel(bias, rank));
    }

    /**
     * Inference mode: (x − mean) / √(var + ε) · weight + bias with given statistics, all [C], computed as x · s + t
     * with s = weight / √(var + ε) and t = bias − mean · s, so the per-element work is one multiply and one add.
     */
    public static Value inference(Value x, Value mean, Value variance, Value weight, Value bias, double eps) {
        int rank = x.shape().rank();
        Value scale = weight.div(variance.add((float) eps).sqrt());
        Value shift = bias.sub(mean.mul(scale));
        return x.mul(perChannel(scale, rank)).add(perChannel(shift, rank));
    }

    /** (1 − momentum) · running + momentum · batch, both [C] ({@code batch} may be [1, C, 1, ...]). */
    public static Value running(Value running, Value batch, double momentum) {
        return running.mul((float) (1 - momentum)).add(batch.reshape(running.shape()).mul((float) momentum));
    }

    /** [C] as [C, 1, ...], broadcasting against [N, C, H, W] along axis 1. */
    private static Value perChannel(Value v, int rank) {
        int[] dims = new int[rank - 1];
        java.util.Arrays.fill(dims, 1);
        dims[0] = v.shape().size();
        return v.reshape(dims);
    }

    private static int[] statisticAxes(int rank) {
        int[] axes = new int[rank - 1];
        axes[0] = 0;
        for (int a = 2; a < rank; a++) {
            axes[a - 1] = a;
        }
        return axes;
    }
}
