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
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Winograd F(2×2, 3×3) kernels (a 3×3 convolution, and its input gradient as ConvTranspose) and the kernel
 * gradient beside them (read from x and g in NCHW, {@code WeightGradientKernel}) against the float64 reference, on
 * sizes odd and even (tiles past the edge), with no, "same", wide and uneven padding; likewise the direct convolution
 * of single-channel images and a strided first layer's kernel gradient with its sum cut in parts; and two threads
 * give the same bits as one. Channel counts span every register block of the Winograd products.
 */
class WinogradTest {
    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(Shape.of(6, 8, 14, 14), 16, Window.of(1, 1, 1)),
                Arguments.of(Shape.of(8, 16, 4, 4), 32, Window.of(1, 1, 1)),
                Arguments.of(Shape.of(16, 16, 4, 4), 32, Window.of(1, 1, 1)),
                Arguments.of(Shape.of(5, 9, 7, 9), 8, Window.of(1, 1, 1)),
                Arguments.of(Shape.of(4, 8, 8, 7), 12, Window.of(1, 0, 1)),
                Arguments.of(Shape.of(3, 10, 5, 6), 8, Window.of(1, 2, 1)),
                Arguments.of(Shape.of(4, 8, 9, 8), 9, new Window(1, 1, 1, 0, 2, 1, 1, 1)),
                // Channel counts of 3, 4 and 6 vectors of AVX2 or AVX-512 lanes: every register block of the
                // products (VectorProducts), rows left over included.
                Arguments.of(Shape.of(3, 40, 5, 7), 64, Window.of(1, 1, 1)),
                Arguments.of(Shape.of(2, 64, 6, 5), 40, Window.of(1, 1, 1)),
                Arguments.of(Shape.of(2, 24, 3, 3), 48, Window.of(1, 0, 1)));
    }

    private static Graph network(Shape xs, int outChannels, Window window) {
        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, xs);
        Value w = g.input("w", Role.DATA, DType.FLOAT32, Shape.of(outChannels, xs.dim(1), 3, 3));
        Value y = x.conv(w, window, 1);
        Value r = g.input("r", Role.DATA, DType.FLOAT32, y.shape());
        Value loss = y.mul(r).sum();
        var grads = Autodiff.gradients(loss, List.of(x, w));
        g.output("y", y);
        g.output("dx", grads.get(x));
        g.output("dw", grads.get(w));
        return g;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void theConvolutionAndBothGradientsMatchTheReference(Shape xs, int outChannels, Window window) {
        check(network(xs, outChannels, window), k -> k.contains("Winograd"), 2,
                "the convolution and ConvTranspose by Winograd");
    }

    /** The kernel gradient of a unit-step convolution reads x and g as they are, without their transposes. */
    @ParameterizedTest
    @MethodSource("shapes")
    void theKernelGradientReadsNchwAndMatchesTheReference(Shape xs, int outChannels, Window window) {
        checkKernelGradient(network(xs, outChannels, window), "from NCHW");
    }

    /** A first layer's 3×3 kernel gradient directly (SingleChannelWeightGradientKernel), odd channel counts too. */
    @ParameterizedTest
    @MethodSource("singleChannel")
    void aSingleChannelKernelGradientRunsDirectlyAndMatchesTheReference(Shape xs, int outChannels, Window window) {
        checkKernelGradient(network(xs, outChannels, window), ", direct,");
        checkKernelGradient(network(xs, outChannels + 1, window), ", direct,");
    }

    private static void checkKernelGradient(Graph g, String kind) {
        check(g, k -> k.startsWith("Conv kernel gradient") && k.contains(kind), 1, "the kernel gradient, " + kind);
        Shape xs = g.inputs().get("x").shape();
        try (CpuExecutable e = new CpuBackend(1).compile(g, xs.dim(0))) {
            List<String> kernels = IntStream.range(0, e.kernelCount()).mapToObj(e::describeKernel).toList();
            assertEquals(1, kernels.stream().filter(k -> k.startsWith("CopyKernel")).count(),
                    "only the gradient's own [C, O] -> [O, C] transpose is copied: " + kernels);
        }
    }

    private static void check(Graph g, java.util.function.Predicate<String> kernel, int kernelCount, String what) {
        Shape xs = g.inputs().get("x").shape();
        int outChannels = g.inputs().get("w").shape().dim(0);
        Map<String, Tensor> in = ImageKernelsTest.inputs(g, xs.dim(1) * 31L + outChannels, List.of("x", "w", "r"));
        List<String> kernels = new ArrayList<>();
        Map<String, float[]> one = ImageKernelsTest.run(g, 1, in, kernels);
        Map<String, float[]> two = ImageKernelsTest.run(g, 2, in, new ArrayList<>());
        assertEquals(kernelCount, kernels.stream().filter(kernel).count(), what + ": " + kernels);
        for (String name : g.outputs().keySet()) {
            assertArrayEquals(one.get(name), two.get(name), name + ": two threads, the same bits");
        }
        ImageKernelsTest.assertMatchesFloat64(g, in, one, 2e-5, 1e-6);
    }

    static Stream<Arguments> singleChannel() {
        return Stream.of(
                Arguments.of(Shape.of(5, 1, 28, 28), 8, Window.of(1, 1, 1)),
                Arguments.of(Shape.of(3, 1, 9, 7), 4, Window.of(1, 0, 1)),
                Arguments.of(Shape.of(4, 1, 6, 11), 3, new Window(1, 1, 1, 0, 2, 1, 1, 1)),
                Arguments.of(Shape.of(2, 1, 5, 5), 2, Window.of(1, 2, 1)));
    }

    /** Images of one channel: the convolution directly, vectors along the output rows (their tails masked). */
    @ParameterizedTest
    @MethodSource("singleChannel")
    void aSingleChannelConvolutionRunsDirectlyAndMatchesTheReference(Shape xs, int outChannels, Window window) {
        check(network(xs, outChannels, window), k -> k.contains(", direct,") && !k.startsWith("Conv kernel gradient"), 1,
                "the direct convolution");
    }

    /**
     * A strided first layer (one input channel) has a kernel gradient of one image with a long sum, which the batch's
     * chunks cannot cut: {@code SplitSumConvKernel} cuts the sum, with the same bits on two threads as on one.
     */
    @org.junit.jupiter.api.Test
    void aFirstLayersKernelGradientCutsItsSumAndMatchesTheReference() {
        Graph g = network(Shape.of(64, 1, 56, 56), 32, Window.of(2, 1, 1));
        check(g, k -> k.contains("the sum in 4 parts"), 1, "the kernel gradient with its sum cut");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void aThinConvolutionStaysWithIm2col(Shape xs, int outChannels, Window window) {
        Graph g = network(Shape.of(xs.dim(0), 2, xs.dim(2), xs.dim(3)), outChannels, window);
        try (CpuExecutable e = new CpuBackend(1).compile(g, 1)) {
            List<String> kernels = IntStream.range(0, e.kernelCount()).mapToObj(e::describeKernel).toList();
            assertTrue(kernels.stream().noneMatch(k -> k.startsWith("Conv ") && k.contains("Winograd")),
                    "two input channels: the forward convolution by im2col: " + kernels);
        }
    }
}
