package dev.theta.bench;

import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.BatchNorm;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.backend.cpu.CpuBackend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What batch normalization composed of primitives costs on the CPU backend, to decide between the composition and a
 * primitive: {@code BatchNormBench [BATCH] [ROUNDS] [THREADS]}. In one invocation, alternating round by round:
 * (1) training-mode batch normalization, forward and backward (dx, dγ, dβ and the running statistics) of
 * [BATCH, 32, 28, 28] on the CPU backend against the same computation as one fused, single-threaded Java loop (what
 * a primitive's kernel would do); (2) the gradient of a Fashion-MNIST cnn (conv 32, conv 64, dense 128, each
 * followed by relu, pooling after the convolutions) with and without batch normalization after each of the three.
 * Prints medians and ratios.
 */
public final class BatchNormBench {
    private static final int C = 32;
    private static final int SIDE = 28;

    private BatchNormBench() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Random r = new Random(1);
        CpuBackend cpu = new CpuBackend(threads);

        Graph layer = layerGraph();
        Graph with = cnnGraph(true, r);
        Graph without = cnnGraph(false, r);
        try (Executable bn = cpu.compile(layer, batch); Executable cnnWith = cpu.compile(with, batch);
             Executable cnnWithout = cpu.compile(without, batch)) {
            fill(bn, layer, r);
            fill(cnnWith, with, r);
            fill(cnnWithout, without, r);
            Fused fused = new Fused(batch);
            System.arraycopy(bn.input("x").floats(), 0, fused.x, 0, fused.x.length);
            System.arraycopy(bn.input("dy").floats(), 0, fused.dy, 0, fused.dy.length);
            double[][] t = new double[4][rounds];
            for (int round = 0; round < rounds; round++) {
                t[0][round] = time(bn::run, 20);
                t[1][round] = time(fused::run, 20);
                t[2][round] = time(cnnWith::run, 3);
                t[3][round] = time(cnnWithout::run, 3);
            }
            double[] m = Arrays.stream(t).mapToDouble(BatchNormBench::median).toArray();
            System.out.printf("batchnorm [%d, %d, %d, %d] forward+backward: composed %.2f ms (%d threads), fused loop"
                    + " %.2f ms (1 thread): composed / fused %.2f%n", batch, C, SIDE, SIDE, m[0], threads, m[1], m[0] / m[1]);
            System.out.printf("cnn gradient, batch %d: with batchnorm %.1f ms, without %.1f ms: ratio %.3f%n", batch,
                    m[2], m[3], m[2] / m[3]);
            System.out.printf("check: dx[7] composed %.6g, fused %.6g%n", bn.output("grad/x").floats()[7], fused.dx[7]);
        }
    }

    /** Milliseconds per call, over {@code calls} calls after one warm-up call. */
    private static double time(Runnable run, int calls) {
        run.run();
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            run.run();
        }
        return (System.nanoTime() - t0) / 1e6 / calls;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void fill(Executable exe, Graph g, Random r) {
        g.initialValues().forEach((name, value) -> exe.input(name).copyFrom(value));
        for (String name : g.inputs().keySet()) {
            Tensor t = exe.input(name);
            if (g.initialValues().containsKey(name)) {
                continue;
            }
            if (t.dtype() == DType.INT64) {
                for (int i = 0; i < t.size(); i++) {
                    t.longs()[i] = r.nextInt(10);
                }
            } else {
                for (int i = 0; i < t.size(); i++) {
                    t.floats()[i] = (float) r.nextGaussian();
                }
            }
        }
    }

    /** Training-mode batch normalization of x [N, 32, 28, 28]: y, the running statistics, and dx, dγ, dβ of Σ y·dy. */
    private static Graph layerGraph() {
        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, C, SIDE, SIDE));
        Value dy = g.input("dy", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, C, SIDE, SIDE));
        Value gamma = g.input("gamma", Role.PARAMETER, ones(C));
        Value beta = g.input("beta", Role.PARAMETER, Tensor.zeros(DType.FLOAT32, Shape.of(C)));
        Value mean = g.input("mean", Role.STATE, Tensor.zeros(DType.FLOAT32, Shape.of(C)));
        Value var = g.input("var", Role.STATE, ones(C));
        BatchNorm.Moments m = BatchNorm.moments(x);
        Value y = BatchNorm.normalize(m, gamma, beta, BatchNorm.EPS);
        g.output("next/mean", BatchNorm.running(mean, m.mean(), BatchNorm.MOMENTUM));
        g.output("next/var", BatchNorm.running(var, m.unbiasedVariance(), BatchNorm.MOMENTUM));
        Map<Value, Value> grads = Autodiff.gradients(y.mul(dy).sum(), List.of(x, gamma, beta));
        g.output("grad/x", grads.get(x));
        g.output("grad/gamma", grads.get(gamma));
        g.output("grad/beta", grads.get(beta));
        return g;
    }

    /** The gradient graph of a Fashion-MNIST cnn's mean cross-entropy, with or without batch normalization. */
    private static Graph cnnGraph(boolean batchNorm, Random r) {
        Graph g = new Graph();
        List<Value> params = new ArrayList<>();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 1, SIDE, SIDE));
        Value y = g.input("y", Role.DATA, DType.INT64, Shape.of(Shape.BATCH));
        Value h = x;
        int in = 1;
        for (int out : new int[] {32, 64}) {
            h = h.conv(param(g, params, r, "conv" + out, out, in, 3, 3), 1, 1);
            h = (batchNorm ? norm(g, params, h, out) : h.add(param(g, params, r, "b" + out, out, 1, 1))).relu()
                    .maxPool(2, 2);
            in = out;
        }
        h = h.flatten().matmul(param(g, params, r, "dense", 64 * 7 * 7, 128));
        h = (batchNorm ? norm(g, params, h, 128) : h.add(param(g, params, r, "bdense", 128))).relu();
        Value scores = h.matmul(param(g, params, r, "out", 128, 10));
        Value loss = scores.logSoftmax(1).gatherElements(y.reshape(Shape.BATCH, 1), 1).mean().neg();
        g.output("loss", loss);
        Map<Value, Value> grads = Autodiff.gradients(loss, params);
        for (int i = 0; i < params.size(); i++) {
            g.output("grad/" + i, grads.get(params.get(i)));
        }
        return g;
    }

    private static Value norm(Graph g, List<Value> params, Value h, int c) {
        Value gamma = g.input("gamma" + c, Role.PARAMETER, ones(c));
        Value beta = g.input("beta" + c, Role.PARAMETER, Tensor.zeros(DType.FLOAT32, Shape.of(c)));
        params.add(gamma);
        params.add(beta);
        BatchNorm.Moments m = BatchNorm.moments(h);
        Value mean = g.input("mean" + c, Role.STATE, Tensor.zeros(DType.FLOAT32, Shape.of(c)));
        Value var = g.input("var" + c, Role.STATE, ones(c));
        g.output("next/mean" + c, BatchNorm.running(mean, m.mean(), BatchNorm.MOMENTUM));
        g.output("next/var" + c, BatchNorm.running(var, m.unbiasedVariance(), BatchNorm.MOMENTUM));
        return BatchNorm.normalize(m, gamma, beta, BatchNorm.EPS);
    }

    private static Value param(Graph g, List<Value> params, Random r, String name, int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.size()];
        double std = Math.sqrt(2.0 / (s.size() / dims[0]));
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        Value p = g.input(name, Role.PARAMETER, Tensor.of(s, v));
        params.add(p);
        return p;
    }

    private static Tensor ones(int n) {
        float[] v = new float[n];
        Arrays.fill(v, 1f);
        return Tensor.of(Shape.of(n), v);
    }

    /** Batch normalization forward and backward as a primitive's kernel would run it: two passes each way. */
    private static final class Fused {
        final int n;
        final float[] x;
        final float[] dy;
        final float[] y;
        final float[] dx;
        final float[] gamma = new float[C];
        final float[] beta = new float[C];
        final float[] runningMean = new float[C];
        final float[] runningVar = new float[C];
        final float[] dGamma = new float[C];
        final float[] dBeta = new float[C];

        Fused(int n) {
            this.n = n;
            int size = n * C * SIDE * SIDE;
            x = new float[size];
            dy = new float[size];
            y = new float[size];
            dx = new float[size];
            Arrays.fill(gamma, 1f);
            Arrays.fill(runningVar, 1f);
        }

        void run() {
            int plane = SIDE * SIDE;
            double count = (double) n * plane;
            for (int c = 0; c < C; c++) {
                double sum = 0;
                double squares = 0;
                for (int b = 0; b < n; b++) {
                    int o = (b * C + c) * plane;
                    for (int i = 0; i < plane; i++) {
                        sum += x[o + i];
                    }
                }
                double mean = sum / count;
                for (int b = 0; b < n; b++) {
                    int o = (b * C + c) * plane;
                    for (int i = 0; i < plane; i++) {
                        double d = x[o + i] - mean;
                        squares += d * d;
                    }
                }
                double var = squares / count;
                float inv = (float) (1 / Math.sqrt(var + BatchNorm.EPS));
                float scale = gamma[c] * inv;
                float fm = (float) mean;
                double sumDy = 0;
                double sumDyXhat = 0;
                for (int b = 0; b < n; b++) {
                    int o = (b * C + c) * plane;
                    for (int i = 0; i < plane; i++) {
                        float xhat = (x[o + i] - fm) * inv;
                        y[o + i] = xhat * gamma[c] + beta[c];
                        sumDy += dy[o + i];
                        sumDyXhat += dy[o + i] * xhat;
                    }
                }
                dBeta[c] = (float) sumDy;
                dGamma[c] = (float) sumDyXhat;
                float a = (float) (sumDy / count);
                float k = (float) (sumDyXhat / count);
                for (int b = 0; b < n; b++) {
                    int o = (b * C + c) * plane;
                    for (int i = 0; i < plane; i++) {
                        float xhat = (x[o + i] - fm) * inv;
                        dx[o + i] = scale * (dy[o + i] - a - xhat * k);
                    }
                }
                runningMean[c] = (float) (0.9 * runningMean[c] + 0.1 * mean);
                runningVar[c] = (float) (0.9 * runningVar[c] + 0.1 * squares / (count - 1));
            }
        }
    }
}
