package dev.theta.backend.cpu;

import dev.theta.api.autodiff.Autodiff;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.ops.Window;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A convolution followed by a per-channel bias and/or ReLU runs as one kernel that adds and rectifies each output
 * plane ({@code Schedule}, {@code Epilogue}): for each convolution kernel (Winograd, direct single-channel, im2col),
 * the same bits as the Add and Relu in passes of their own (forced by reading the convolution's output elsewhere too),
 * on one thread and two, gradients included.
 */
class ConvEpilogueTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Shape.of(6, 8, 14, 14), 16, 3, true, true, "Winograd"),
                Arguments.of(Shape.of(6, 8, 14, 14), 16, 3, false, true, "Winograd"),
                Arguments.of(Shape.of(6, 8, 14, 14), 16, 3, true, false, "Winograd"),
                Arguments.of(Shape.of(5, 1, 28, 28), 8, 3, true, true, "direct"),
                Arguments.of(Shape.of(5, 1, 28, 28), 8, 3, false, true, "direct"),
                Arguments.of(Shape.of(4, 3, 12, 12), 6, 5, true, true, "group 1"),
                Arguments.of(Shape.of(4, 3, 12, 12), 6, 5, true, false, "group 1"));
    }

    /** relu(conv(x, w) + b) (or without either) and its gradients; {@code tap} also outputs the convolution. */
    private static Graph network(Shape xs, int out, int k, boolean bias, boolean relu, boolean tap) {
        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, xs);
        Value w = g.input("w", Role.DATA, DType.FLOAT32, Shape.of(out, xs.dim(1), k, k));
        Value b = g.input("b", Role.DATA, DType.FLOAT32, Shape.of(out, 1, 1));
        Value c = x.conv(w, Window.of(1, k / 2, 1), 1);
        Value y = bias ? c.add(b) : c;
        y = relu ? y.relu() : y;
        Value r = g.input("r", Role.DATA, DType.FLOAT32, y.shape());
        Value loss = y.mul(r).sum();
        var grads = Autodiff.gradients(loss, bias ? List.of(x, w, b) : List.of(x, w));
        g.output("y", y);
        g.output("dx", grads.get(x));
        g.output("dw", grads.get(w));
        if (tap) {
            g.output("c", c);
        }
        return g;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theConvolutionAddsTheBiasAndRectifiesInItsKernelWithTheSameBits(Shape xs, int out, int k, boolean bias,
                                                                          boolean relu, String kind) {
        Graph fused = network(xs, out, k, bias, relu, false);
        Graph apart = network(xs, out, k, bias, relu, true);
        Map<String, Tensor> in = ImageKernelsTest.inputs(fused, xs.size() + out, List.of("x", "w", "b", "r"));
        String epilogue = (bias ? ", + bias" : "") + (relu ? ", relu" : "");
        for (int threads = 1; threads <= 2; threads++) {
            List<String> fusedKernels = new ArrayList<>();
            List<String> apartKernels = new ArrayList<>();
            Map<String, float[]> one = ImageKernelsTest.run(fused, threads, in, fusedKernels);
            Map<String, float[]> two = ImageKernelsTest.run(apart, threads, in, apartKernels);
            assertEquals(1, fusedKernels.stream().filter(d -> d.startsWith("Conv ") && d.contains(kind)
                    && d.contains(epilogue + ",")).count(), "the forward convolution with" + epilogue + ": "
                    + fusedKernels);
            assertTrue(apartKernels.stream().noneMatch(d -> d.contains(", relu") || d.contains(", + bias")),
                    "a convolution read twice keeps its output: " + apartKernels);
            // A bias added twice (by the kernel and by an Add left behind) would show here.
            for (String name : List.of("y", "dx", "dw")) {
                assertArrayEquals(two.get(name), one.get(name), name + " on " + threads + " thread(s)");
            }
        }
    }
}
