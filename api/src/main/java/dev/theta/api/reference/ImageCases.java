package dev.theta.api.reference;

import dev.theta.api.graph.BatchNorm;
import dev.theta.api.ops.AveragePool;
import dev.theta.api.ops.Binary;
import dev.theta.api.ops.BinaryFn;
import dev.theta.api.ops.Conv;
import dev.theta.api.ops.ConvTranspose;
import dev.theta.api.ops.MaxPool;
import dev.theta.api.ops.Reduce;
import dev.theta.api.ops.ReduceFn;
import dev.theta.api.ops.ScatterElements;
import dev.theta.api.ops.Window;
import dev.theta.api.reference.PrimitiveCase.InputSpec;
import dev.theta.api.tensor.Shape;

import java.util.List;
import java.util.Random;

import static dev.theta.api.reference.CaseInputs.ANY;
import static dev.theta.api.reference.CaseInputs.POSITIVE;
import static dev.theta.api.reference.CaseInputs.f;
import static dev.theta.api.reference.CaseInputs.i64;
import static dev.theta.api.reference.CaseInputs.indices;

/**
 * The cases of the image primitives (part of {@link PrimitiveCases}): convolutions and pooling over random NCHW
 * shapes with strides, asymmetric pads, dilations, rectangular kernels and groups, including strides that leave
 * rows unread (ConvTranspose's output padding, and the slice in Conv's kernel gradient); ScatterElements; and
 * batch normalization (a composition, filed under ReduceMean, and Mul for inference) in both modes on [N, C, H, W], [N, C, L] and [N, C].
 */
final class ImageCases extends CaseTable {
    private static final long SEED = 0x1A6E_2026L;
    private static final int N = Shape.BATCH;

    private ImageCases() {
        super(new Random(SEED));
    }

    static List<PrimitiveCase> all() {
        return new ImageCases().build();
    }

    private List<PrimitiveCase> build() {
        conv();
        convTranspose();
        maxPool();
        averagePool();
        globalAveragePool();
        scatterElements();
        batchNorm();
        return cases();
    }

    /** A height or width in 4..6. */
    private int side() {
        return 4 + random.nextInt(3);
    }

    private void conv() {
        int c = dim();
        int o = dim();
        convCase(Window.UNIT, 1, f("x", ANY, N, c, side(), side()), f("w", ANY, o, c, 3, 3));
        convCase(Window.of(2, 1, 1), 1, f("x", ANY, N, c, side(), side()), f("w", ANY, o, c, 3, 3));
        convCase(new Window(1, 2, 1, 0, 2, 1, 2, 1), 1, f("x", ANY, N, c, side(), side()), f("w", ANY, o, c, 2, 3));
        convCase(Window.of(1, 1, 1), 2, f("x", ANY, N, 2 * c, side(), side()), f("w", ANY, 2 * o, c, 3, 3));
        convCase(Window.of(2, 1, 1), c, f("x", ANY, N, c, side(), side()), f("w", ANY, 2 * c, 1, 3, 3));
        convCase(new Window(3, 2, 0, 1, 0, 0, 1, 2), 2, f("x", ANY, N, 2, 7, 8), f("w", ANY, 2 * o, 1, 2, 2));
        convCase(Window.UNIT, 1, f("x", ANY, 2, c, side(), side()), f("w", ANY, o, c, 1, 1));
    }

    private void convCase(Window window, int group, InputSpec x, InputSpec w) {
        add("Conv", Conv.class, null, window + " group=" + group, (g, in) -> in.get(0).conv(in.get(1), window, group),
                x, w);
    }

    private void convTranspose() {
        int c = dim();
        int o = dim();
        convTransposeCase(Window.UNIT, 1, 0, 0, f("x", ANY, N, c, side(), side()), f("w", ANY, c, o, 3, 3));
        convTransposeCase(Window.of(2, 1, 1), 1, 1, 1, f("x", ANY, N, c, side(), side()), f("w", ANY, c, o, 3, 3));
        convTransposeCase(new Window(2, 1, 1, 0, 0, 2, 2, 1), 2, 1, 0, f("x", ANY, N, 2 * c, side(), side()),
                f("w", ANY, 2 * c, o, 2, 3));
    }

    private void convTransposeCase(Window window, int group, int padH, int padW, InputSpec x, InputSpec w) {
        add("ConvTranspose", ConvTranspose.class, null, window + " group=" + group + " outputPadding=[" + padH + ", "
                + padW + "]", (g, in) -> in.get(0).convTranspose(in.get(1), window, group, padH, padW), x, w);
    }

    private void maxPool() {
        int c = dim();
        maxPoolCase(2, 2, Window.of(2, 0, 1), false, f("x", ANY, N, c, side(), side()));
        maxPoolCase(3, 3, Window.of(2, 1, 1), false, f("x", ANY, N, c, side(), side()));
        maxPoolCase(2, 3, new Window(1, 2, 1, 1, 0, 2, 2, 1), false, f("x", ANY, N, c, side(), side()));
        maxPoolCase(3, 3, Window.of(2, 1, 1), true, f("x", ANY, N, c, side(), side()));
        maxPoolCase(2, 2, new Window(1, 1, 0, 1, 1, 0, 1, 2), true, f("x", ANY, 2, c, side(), side()));
    }

    private void maxPoolCase(int kh, int kw, Window window, boolean indices, InputSpec x) {
        add("MaxPool", MaxPool.class, null, kh + "x" + kw + " " + window + (indices ? " indices" : ""),
                (g, in) -> g.apply(new MaxPool(kh, kw, window, indices), in.get(0)), x);
    }

    private void averagePool() {
        int c = dim();
        averagePoolCase(2, 2, Window.of(2, 0, 1), true, f("x", ANY, N, c, side(), side()));
        averagePoolCase(3, 3, Window.of(2, 1, 1), false, f("x", ANY, N, c, side(), side()));
        averagePoolCase(3, 2, new Window(1, 2, 2, 0, 1, 1, 1, 1), true, f("x", ANY, N, c, side(), side()));
        averagePoolCase(3, 2, new Window(1, 2, 2, 0, 1, 1, 1, 1), false, f("x", ANY, 2, c, side(), side()));
    }

    private void averagePoolCase(int kh, int kw, Window window, boolean includePad, InputSpec x) {
        add("AveragePool", AveragePool.class, null, kh + "x" + kw + " " + window + " countIncludePad=" + includePad,
                (g, in) -> in.get(0).averagePool(kh, kw, window, includePad), x);
    }

    private void globalAveragePool() {
        add("GlobalAveragePool", Reduce.class, ReduceFn.MEAN, "", (g, in) -> in.get(0).globalAveragePool(),
                f("x", ANY, N, dim(), side(), side()));
    }

    /**
     * Training mode (the batch's statistics, and the unbiased variance the running statistic takes) and inference
     * mode (given statistics); the dense case has a fixed batch of 3 so that every channel has several values.
     */
    private void batchNorm() {
        int c = dim();
        for (int[] x : new int[][] {{N, c, side(), side()}, {N, c, 5}, {3, c}}) {
            add("BatchNormalization", Reduce.class, ReduceFn.MEAN, "training", (g, in) ->
                            BatchNorm.normalize(BatchNorm.moments(in.get(0)), in.get(1), in.get(2), BatchNorm.EPS),
                    f("x", ANY, x), f("weight", ANY, c), f("bias", ANY, c));
            add("BatchNormalization", Reduce.class, ReduceFn.MEAN, "running variance", (g, in) ->
                    BatchNorm.running(in.get(1), BatchNorm.moments(in.get(0)).unbiasedVariance(), 0.25),
                    f("x", ANY, x), f("running", POSITIVE, c));
            add("BatchNormalization", Binary.class, BinaryFn.MUL, "inference", (g, in) ->
                            BatchNorm.inference(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4), 1e-3),
                    f("x", ANY, x), f("mean", ANY, c), f("variance", POSITIVE, c), f("weight", ANY, c),
                    f("bias", ANY, c));
        }
    }

    private void scatterElements() {
        int a = dim();
        int b = dim();
        add("ScatterElements", ScatterElements.class, null, "axis=0",
                (g, in) -> in.get(0).scatterAdd(in.get(1), in.get(2), 0),
                f("data", ANY, a), i64("indices", indices(a), N), f("updates", ANY, N));
        add("ScatterElements", ScatterElements.class, null, "axis=1",
                (g, in) -> in.get(0).scatterAdd(in.get(1), in.get(2), 1),
                f("data", ANY, N, a), i64("indices", indices(a), N, 5), f("updates", ANY, N, 5));
        add("ScatterElements", ScatterElements.class, null, "axis=-2",
                (g, in) -> in.get(0).scatterAdd(in.get(1), in.get(2), -2),
                f("data", ANY, a, b), i64("indices", indices(a), 2 * a, b), f("updates", ANY, 2 * a, b));
    }
}
