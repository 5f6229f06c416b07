package dev.theta.backend.cpu;

import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.ops.Window;
import dev.theta.api.reference.ReferenceInterpreter;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The convolution and pooling kernels at sizes where they cut the batch into chunks and split it over threads, and
 * where a MaxPool writes its values and its gradient's indices in one pass: the gradients of a small network agree
 * with the float64 reference, and two threads give the same bits as one.
 */
class ImageKernelsTest {
    private static final Shape X = Shape.of(24, 8, 16, 16);

    private static Graph network(Window second, int group) {
        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, X);
        Value w1 = g.input("w1", Role.DATA, DType.FLOAT32, Shape.of(16, 8, 3, 3));
        Value w2 = g.input("w2", Role.DATA, DType.FLOAT32, Shape.of(16, 16 / group, 3, 3));
        Value r = g.input("r", Role.DATA, DType.FLOAT32, Shape.of(24, 16, 3, 4));
        Value h = x.conv(w1, 1, 1).relu().maxPool(2, 2);
        Value pooled = h.conv(w2, second, group).relu().maxPool(2, 2, Window.of(1, 0, 1));
        Value loss = pooled.slice(2, 0, 3).slice(3, 0, 4).mul(r).sum();
        var grads = Autodiff.gradients(loss, List.of(x, w1, w2));
        g.output("loss", loss);
        g.output("dx", grads.get(x));
        g.output("dw1", grads.get(w1));
        g.output("dw2", grads.get(w2));
        return g;
    }

    /** Standard normal values for g's inputs {@code names}, drawn in that order from one seeded stream. */
    static Map<String, Tensor> inputs(Graph g, long seed, List<String> names) {
        Random random = new Random(seed);
        Map<String, Tensor> in = new HashMap<>();
        for (String name : names) {
            Shape shape = g.inputs().get(name).shape();
            float[] v = new float[(int) shape.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) random.nextGaussian();
            }
            in.put(name, Tensor.of(shape, v));
        }
        return in;
    }

    /** Runs g twice on {@code threads}; its outputs, and each kernel's description added to {@code kernels}. */
    static Map<String, float[]> run(Graph g, int threads, Map<String, Tensor> in, List<String> kernels) {
        try (CpuExecutable e = new CpuBackend(threads).compile(g, 1)) {
            for (var entry : in.entrySet()) {
                e.input(entry.getKey()).copyFrom(entry.getValue());
            }
            e.run();
            e.run();
            IntStream.range(0, e.kernelCount()).mapToObj(e::describeKernel).forEach(kernels::add);
            Map<String, float[]> out = new HashMap<>();
            for (String name : g.outputs().keySet()) {
                out.put(name, e.output(name).floats().clone());
            }
            return out;
        }
    }

    private static void check(Window second, int group) {
        Graph g = network(second, group);
        Map<String, Tensor> in = inputs(g, 7, List.of("x", "w1", "w2", "r"));
        List<String> oneKernels = new java.util.ArrayList<>();
        List<String> twoKernels = new java.util.ArrayList<>();
        Map<String, float[]> one = run(g, 1, in, oneKernels);
        Map<String, float[]> two = run(g, 2, in, twoKernels);
        for (String name : g.outputs().keySet()) {
            assertArrayEquals(one.get(name), two.get(name), name + ": two threads, the same bits");
        }
        assertTrue(twoKernels.stream().anyMatch(k -> k.startsWith("Conv ") && k.contains("2 thread(s)")
                && !k.contains(" 1 chunk(s)")), "a convolution runs in chunks on two threads: " + twoKernels);
        assertTrue(twoKernels.stream().anyMatch(k -> k.startsWith("ConvTranspose") && k.contains("2 thread(s)")),
                "the input gradient runs on two threads: " + twoKernels);
        assertEquals(2, twoKernels.stream().filter(k -> k.contains("values and indices")).count(),
                "each pooling writes its gradient's indices in its own pass: " + twoKernels);
        assertTrue(twoKernels.stream().noneMatch(k -> k.startsWith("MaxPool") && k.contains(", indices")),
                "no second pass for indices: " + twoKernels);

        assertMatchesFloat64(g, in, one, 1e-4, 1e-5);
    }

    /**
     * Every output of g in {@code got} within {@code relative} of the output's largest magnitude (plus
     * {@code absolute}) of the float64 reference interpreter's on the same inputs.
     */
    static void assertMatchesFloat64(Graph g, Map<String, Tensor> in, Map<String, float[]> got, double relative,
                                     double absolute) {
        Map<String, double[]> ref = new HashMap<>();
        in.forEach((k, v) -> ref.put(k, ReferenceInterpreter.toDoubles(v)));
        Map<String, double[]> expected = ReferenceInterpreter.run(g, 1, ref);
        for (String name : g.outputs().keySet()) {
            double[] want = expected.get(name);
            float[] have = got.get(name);
            double scale = 0;
            for (double w : want) {
                scale = Math.max(scale, Math.abs(w));
            }
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], have[i], relative * scale + absolute, name + "[" + i + "] against float64");
            }
        }
    }

    @Test
    void paddedConvolutionsAndPoolingMatchTheReferenceOnTwoThreads() {
        check(Window.of(1, 1, 1), 1);
    }

    @Test
    void stridedDilatedGroupedConvolutionMatchesTheReferenceOnTwoThreads() {
        check(new Window(2, 1, 2, 1, 2, 1, 2, 1), 2);
    }

    /**
     * Past 65,536 elements MaxPool's gradient scatters plane by plane on threads, and a bias gradient (a sum over N, H
     * and W) and a mean over H and W sum by rows on threads: the same bits as one thread, within float64's.
     */
    @Test
    void largePoolingGradientsAndBiasSumsRunOnTwoThreadsWithTheSameBits() {
        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(8, 16, 32, 32));
        Value b = g.input("b", Role.DATA, DType.FLOAT32, Shape.of(16, 1, 1));
        Value a = x.add(b).relu();
        Value y = a.maxPool(2, 2);
        Value r = g.input("r", Role.DATA, DType.FLOAT32, y.shape());
        Value loss = y.mul(r).sum().add(a.mean(2, 3).sum());
        var grads = Autodiff.gradients(loss, List.of(x, b));
        g.output("dx", grads.get(x));
        g.output("db", grads.get(b));
        g.output("m", a.mean(2, 3));
        Map<String, Tensor> in = inputs(g, 11, List.of("x", "b", "r"));
        List<String> kernels = new java.util.ArrayList<>();
        Map<String, float[]> one = run(g, 1, in, new java.util.ArrayList<>());
        Map<String, float[]> two = run(g, 2, in, kernels);
        for (String name : g.outputs().keySet()) {
            assertArrayEquals(one.get(name), two.get(name), name + ": two threads, the same bits");
        }
        assertTrue(kernels.stream().anyMatch(k -> k.startsWith("ScatterElements") && k.contains("128 planes, 2 thread")),
                "the pooling gradient by planes: " + kernels);
        assertTrue(kernels.stream().anyMatch(k -> k.startsWith("Reduce SUM by rows, 128 rows of 1024, 2 thread")),
                "the bias gradient by rows: " + kernels);
        assertTrue(kernels.stream().anyMatch(k -> k.startsWith("Reduce MEAN by rows") && k.contains("2 thread")),
                "the mean by rows: " + kernels);
        assertMatchesFloat64(g, in, one, 1e-6, 1e-6);
    }

    /**
     * ReLU then MaxPool: the pooling's gradient scatter applies the ReLU's mask itself at the positions it writes (no
     * pass of the mask over the activation), read from the pooled values, for disjoint and overlapping windows, with
     * one thread's bits on two and float64's values.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3})
    void reluThenMaxPoolMasksInItsGradientScatter(int kernel) {
        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(8, 16, 32, 32));
        Value b = g.input("b", Role.DATA, DType.FLOAT32, Shape.of(16, 1, 1));
        Value y = x.add(b).relu().maxPool(kernel, kernel, Window.of(2, kernel / 2, 1));
        Value r = g.input("r", Role.DATA, DType.FLOAT32, y.shape());
        var grads = Autodiff.gradients(y.mul(r).sum(), List.of(x, b));
        g.output("dx", grads.get(x));
        g.output("db", grads.get(b));
        Map<String, Tensor> in = inputs(g, 13 + kernel, List.of("x", "b", "r"));
        List<String> kernels = new java.util.ArrayList<>();
        Map<String, float[]> one = run(g, 1, in, new java.util.ArrayList<>());
        Map<String, float[]> two = run(g, 2, in, kernels);
        for (String name : g.outputs().keySet()) {
            assertArrayEquals(one.get(name), two.get(name), name + ": two threads, the same bits");
        }
        // The mask read from the pooled values; disjoint windows (2 × 2, stride 2) add and mask in one pass.
        String masking = "zeros, masked by pooled values > 0" + (kernel == 2 ? " in one pass," : ",");
        assertTrue(kernels.stream().anyMatch(k -> k.startsWith("ScatterElements") && k.contains(masking)
                && k.contains("2 thread")), "the gradient scatter applies the mask: " + kernels);
        assertTrue(kernels.stream().noneMatch(k -> k.startsWith("Fused") && k.contains("131072 elements")),
                "no pass of the mask over the activation: " + kernels);
        assertMatchesFloat64(g, in, one, 1e-6, 1e-6);
    }

    /**
     * A first layer, conv → ReLU → MaxPool on single-channel images: its kernel and bias gradients read the pooling's
     * gradient (updates at the argmax, masked by the pooled values), with no scatter into the activation, for disjoint
     * and overlapping windows, padded and unpadded convolutions; one thread's bits on two and float64's values.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"2, 1", "3, 0"})
    void firstLayerGradientsReadThePoolingGradient(int kernel, int pad) {
        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(16, 1, 28, 28));
        Value w = g.input("w", Role.DATA, DType.FLOAT32, Shape.of(32, 1, 3, 3));
        Value b = g.input("b", Role.DATA, DType.FLOAT32, Shape.of(32, 1, 1));
        Value y = x.conv(w, 1, pad).add(b).relu().maxPool(kernel, kernel, Window.of(2, kernel / 2, 1));
        Value r = g.input("r", Role.DATA, DType.FLOAT32, y.shape());
        var grads = Autodiff.gradients(y.mul(r).sum(), List.of(w, b));
        g.output("dw", grads.get(w));
        g.output("db", grads.get(b));
        Map<String, Tensor> in = inputs(g, 17 + kernel, List.of("x", "w", "b", "r"));
        List<String> kernels = new java.util.ArrayList<>();
        Map<String, float[]> one = run(g, 1, in, new java.util.ArrayList<>());
        Map<String, float[]> two = run(g, 2, in, kernels);
        for (String name : g.outputs().keySet()) {
            assertArrayEquals(one.get(name), two.get(name), name + ": two threads, the same bits");
        }
        assertEquals(2, kernels.stream().filter(k -> k.contains("from the MaxPool gradient") && k.contains("2 thread"))
                .count(), "kernel and bias gradients from the pooling's: " + kernels);
        assertTrue(kernels.stream().noneMatch(k -> k.startsWith("ScatterElements")), "no scatter: " + kernels);
        assertMatchesFloat64(g, in, one, 1e-5, 1e-6);
    }
}
