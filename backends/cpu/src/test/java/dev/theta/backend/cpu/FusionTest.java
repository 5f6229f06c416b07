package dev.theta.backend.cpu;

import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.reference.ReferenceInterpreter;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.testing.GraphHarness;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Elementwise chains compiled into tiled fused kernels agree with the reference interpreter. */
class FusionTest {
    private static final CpuBackend CPU = new CpuBackend(1);
    /** Not a multiple of the tile size, so the last tile is partial. */
    private static final int BATCH = 701;

    @Test
    void chainsWithScalarsWhereCastAndSharedValuesMatchReference() {
        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 5));
        Value y = g.input("y", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 5));
        Value s = g.input("s", Role.HYPER, DType.FLOAT32, Shape.SCALAR);
        Value m = x.mul(0.9f).add(y.mul(0.1f));
        Value v = y.mul(y).mul(0.001f).add(x.abs().mul(0.999f));
        Value step = m.div(v.sqrt().div(s.exp()).add(1e-3f)).mul(s);
        g.output("m", m);
        g.output("v", v);
        g.output("step", x.sub(step));
        Value mask = x.greater(y).cast(DType.FLOAT32);
        g.output("masked", mask.mul(y).add(mask.cast(DType.BOOL).where(x, s.neg())));
        // A reduction of a chain value feeding the same chain again: the two cannot share one loop.
        Value centred = m.sub(m.mean()).relu().tanh();
        g.output("centred", centred);
        g.output("sum", centred.sum());
        assertMatchesReference(g);
    }

    @Test
    void adamLikeChainRunsAsOneKernel() {
        Graph g = new Graph();
        Value w = g.input("w", Role.PARAMETER, Tensor.zeros(DType.FLOAT32, Shape.of(300, 7)));
        Value grad = g.input("g", Role.DATA, DType.FLOAT32, Shape.of(300, 7));
        Value m = g.input("m", Role.STATE, Tensor.zeros(DType.FLOAT32, Shape.of(300, 7)));
        Value v = g.input("v", Role.STATE, Tensor.zeros(DType.FLOAT32, Shape.of(300, 7)));
        Value lr = g.input("lr", Role.HYPER, DType.FLOAT32, Shape.SCALAR);
        Value m2 = m.mul(0.9f).add(grad.mul(0.1f));
        Value v2 = v.abs().mul(0.999f).add(grad.mul(grad).mul(0.001f));
        g.output("next/w", w.sub(lr.mul(m2.div(v2.sqrt().add(1e-8f)))));
        g.output("next/m", m2);
        g.output("next/v", v2);
        g.carry("next/w", "w");
        g.carry("next/m", "m");
        g.carry("next/v", "v");
        try (CpuExecutable e = CPU.compile(g, 1)) {
            assertEquals(1, e.kernelCount(), "twelve elementwise ops with three outputs: one fused kernel");
        }
        assertMatchesReference(g);
    }

    @Test
    void softmaxAndItsGradientRunOneSoftmaxKernel() {
        Graph g = new Graph();
        Value x = g.input("x", Role.PARAMETER, Tensor.zeros(DType.FLOAT32, Shape.of(6, 40)));
        Value w = g.input("w", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 6, 40));
        Value loss = x.softmax(-1).mul(w).sum();
        g.output("loss", loss);
        g.output("grad", Autodiff.gradients(loss, List.of(x)).get(x));
        try (CpuExecutable e = CPU.compile(g, 1)) {
            List<String> kernels = IntStream.range(0, e.kernelCount()).mapToObj(e::describeKernel).toList();
            // exp(LogSoftmax(x)) in the forward pass and again in the gradient: one softmax, no LogSoftmax, no exp.
            assertEquals(1, kernels.stream().filter(k -> k.startsWith("Softmax")).count(), kernels.toString());
            assertEquals(0, kernels.stream().filter(k -> k.startsWith("LogSoftmax") || k.startsWith("UnaryKernel"))
                    .count(), kernels.toString());
        }
        assertMatchesReference(g);
    }

    private static void assertMatchesReference(Graph g) {
        Random r = new Random(7);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        Map<String, double[]> reference = new LinkedHashMap<>();
        for (Map.Entry<String, Value> in : g.inputs().entrySet()) {
            Shape shape = in.getValue().shape().resolve(BATCH);
            float[] data = new float[shape.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (r.nextGaussian() * 2);
            }
            inputs.put(in.getKey(), Tensor.of(shape, data));
            double[] d = new double[data.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = data[i];
            }
            reference.put(in.getKey(), d);
        }
        Map<String, double[]> expected = ReferenceInterpreter.run(g, BATCH, reference);
        try (var e = GraphHarness.compile(CPU, g, BATCH, inputs)) {
            e.run();
            for (Map.Entry<String, double[]> out : expected.entrySet()) {
                GraphHarness.assertClose(out.getValue(), GraphHarness.output(e, out.getKey()), 1e-5, 1e-6, out.getKey());
            }
        }
        assertTrue(expected.size() > 0);
    }
}
