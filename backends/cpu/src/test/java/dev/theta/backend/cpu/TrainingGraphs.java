package dev.theta.backend.cpu;

import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Training-step graphs built by hand for tests and benchmarks: forward, mean cross-entropy, gradients, update. */
public final class TrainingGraphs {
    private TrainingGraphs() {
    }

    /** Softmax regression x[N, in] · W + b with plain SGD; outputs {@code loss} and carried {@code next/...}. */
    public static Graph softmaxRegression(int in, int classes, long seed) {
        Graph g = new Graph();
        Random r = new Random(seed);
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, in));
        Value y = g.input("y", Role.DATA, DType.INT64, Shape.of(Shape.BATCH));
        Value lr = g.input("lr", Role.HYPER, DType.FLOAT32, Shape.SCALAR);
        Value w = g.input("w", Role.PARAMETER, random(r, Shape.of(in, classes), 0.05));
        Value b = g.input("b", Role.PARAMETER, random(r, Shape.of(classes), 0.05));
        Value loss = crossEntropy(x.matmul(w).add(b), y);
        g.output("loss", loss);
        var grads = Autodiff.gradients(loss, List.of(w, b));
        for (Value p : List.of(w, b)) {
            String name = name(p);
            g.output("next/" + name, p.sub(grads.get(p).mul(lr)));
            g.carry("next/" + name, name);
        }
        return g;
    }

    /** A ReLU MLP in → hidden → classes trained with Adam, state carried like parameters. */
    public static Graph mlpAdam(int in, int hidden, int classes, long seed) {
        Graph g = new Graph();
        Random r = new Random(seed);
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, in));
        Value y = g.input("y", Role.DATA, DType.INT64, Shape.of(Shape.BATCH));
        Value lr = g.input("lr", Role.HYPER, DType.FLOAT32, Shape.SCALAR);
        Value t = g.input("step", Role.HYPER, DType.FLOAT32, Shape.SCALAR);
        Value w1 = g.input("w1", Role.PARAMETER, random(r, Shape.of(in, hidden), 1 / Math.sqrt(in)));
        Value b1 = g.input("b1", Role.PARAMETER, random(r, Shape.of(hidden), 1 / Math.sqrt(in)));
        Value w2 = g.input("w2", Role.PARAMETER, random(r, Shape.of(hidden, classes), 1 / Math.sqrt(hidden)));
        Value b2 = g.input("b2", Role.PARAMETER, random(r, Shape.of(classes), 1 / Math.sqrt(hidden)));
        Value loss = crossEntropy(x.matmul(w1).add(b1).relu().matmul(w2).add(b2), y);
        g.output("loss", loss);
        List<Value> params = List.of(w1, b1, w2, b2);
        var grads = Autodiff.gradients(loss, params);
        Value c1 = g.scalar(1).sub(g.scalar(0.9f).pow(t));
        Value c2 = g.scalar(1).sub(g.scalar(0.999f).pow(t));
        for (Value p : params) {
            String name = name(p);
            Value grad = grads.get(p);
            Value m = g.input("m/" + name, Role.STATE, Tensor.zeros(DType.FLOAT32, p.shape()));
            Value v = g.input("v/" + name, Role.STATE, Tensor.zeros(DType.FLOAT32, p.shape()));
            Value m2 = m.mul(0.9f).add(grad.mul(0.1f));
            Value v2 = v.mul(0.999f).add(grad.mul(grad).mul(0.001f));
            Value step = m2.div(c1).div(v2.div(c2).sqrt().add(1e-8f)).mul(lr);
            List<String[]> outs = new ArrayList<>();
            outs.add(new String[] {"next/" + name, name});
            outs.add(new String[] {"next/m/" + name, "m/" + name});
            outs.add(new String[] {"next/v/" + name, "v/" + name});
            g.output(outs.get(0)[0], p.sub(step));
            g.output(outs.get(1)[0], m2);
            g.output(outs.get(2)[0], v2);
            for (String[] o : outs) {
                g.carry(o[0], o[1]);
            }
        }
        return g;
    }

    /**
     * A small convolutional network on [N, 1, side, side] images (read from x [N, side²]) with plain SGD: conv 3×3
     * (8, pad 1) → relu → max pool 2 → conv 3×3 (16, stride 2, pad 1) → relu → average pool 2 → dense.
     */
    public static Graph cnnSgd(int side, int classes, long seed) {
        Graph g = new Graph();
        Random r = new Random(seed);
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, side * side));
        Value y = g.input("y", Role.DATA, DType.INT64, Shape.of(Shape.BATCH));
        Value lr = g.input("lr", Role.HYPER, DType.FLOAT32, Shape.SCALAR);
        Value k1 = g.input("k1", Role.PARAMETER, random(r, Shape.of(8, 1, 3, 3), Math.sqrt(6.0 / 9)));
        Value k2 = g.input("k2", Role.PARAMETER, random(r, Shape.of(16, 8, 3, 3), Math.sqrt(6.0 / 72)));
        int pooled = (side / 2 + 1) / 2 / 2;
        Value w = g.input("w", Role.PARAMETER, random(r, Shape.of(16 * pooled * pooled, classes), 0.05));
        Value h = x.reshape(Shape.BATCH, 1, side, side).conv(k1, 1, 1).relu().maxPool(2, 2)
                .conv(k2, 2, 1).relu().averagePool(2, 2).flatten();
        Value loss = crossEntropy(h.matmul(w), y);
        g.output("loss", loss);
        List<Value> params = List.of(k1, k2, w);
        var grads = Autodiff.gradients(loss, params);
        for (Value p : params) {
            String name = name(p);
            g.output("next/" + name, p.sub(grads.get(p).mul(lr)));
            g.carry("next/" + name, name);
        }
        return g;
    }

    static Value crossEntropy(Value scores, Value y) {
        Value picked = scores.logSoftmax(1).gatherElements(y.reshape(Shape.of(Shape.BATCH, 1)), 1);
        return picked.neg().mean();
    }

    private static String name(Value input) {
        return ((dev.theta.api.ops.Input) input.op()).name();
    }

    private static Tensor random(Random r, Shape s, double bound) {
        float[] d = new float[s.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
        }
        return Tensor.of(s, d);
    }

    /** Fills x with values in [0, 1) and y with labels in [0, classes), deterministically from {@code seed}. */
    public static void fillBatch(Tensor x, Tensor y, int classes, long seed) {
        Random r = new Random(seed);
        float[] xf = x.floats();
        for (int i = 0; i < xf.length; i++) {
            xf[i] = r.nextFloat();
        }
        long[] yl = y.longs();
        for (int i = 0; i < yl.length; i++) {
            yl[i] = r.nextInt(classes);
        }
    }
}
