package dev.theta.api.ops;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.reference.ReferenceInterpreter;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shape rules and argument checks of the image primitives, and the reference on hand-computed values. */
class ImageOpsTest {
    private static final int N = Shape.BATCH;

    private static Value in(Graph g, String name, int... dims) {
        return g.input(name, Role.DATA, DType.FLOAT32, Shape.of(dims));
    }

    @Test
    void convShapeFollowsTheOnnxFormula() {
        Graph g = new Graph();
        Value x = in(g, "x", N, 6, 11, 9);
        Value w = in(g, "w", 8, 3, 3, 2);
        // H: (11 + 1 + 2 - 2·2 - 1) / 3 + 1 = 4; W: (9 + 0 + 1 - 1 - 1) / 1 + 1 = 9
        Value y = x.conv(w, new Window(3, 1, 1, 0, 2, 1, 2, 1), 2);
        assertEquals(Shape.of(N, 8, 4, 9), y.shape());
    }

    @Test
    void convRefusesMismatchedChannelsAndWindowsThatDoNotFit() {
        Graph g = new Graph();
        Value x = in(g, "x", N, 6, 5, 5);
        assertThrows(IllegalArgumentException.class, () -> x.conv(in(g, "w1", 4, 6, 3, 3), Window.UNIT, 2));
        assertThrows(IllegalArgumentException.class, () -> x.conv(in(g, "w2", 3, 3, 3, 3), Window.UNIT, 2));
        assertThrows(IllegalArgumentException.class, () -> x.conv(in(g, "w3", 4, 6, 6, 3), Window.UNIT, 1));
        assertThrows(IllegalArgumentException.class, () -> in(g, "flat", N, 6).conv(in(g, "w4", 4, 6, 1, 1), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Window.of(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Window(1, 1, -1, 0, 0, 0, 1, 1));
    }

    @Test
    void convTransposeInvertsTheConvolutionShape() {
        Graph g = new Graph();
        Value x = in(g, "x", N, 4, 11, 9);
        Window window = new Window(3, 2, 1, 0, 2, 1, 2, 1);
        Value w = in(g, "w", 6, 2, 3, 2);
        Value y = x.conv(w, window, 2);
        Value back = y.convTranspose(w, window, 2, window.remainder(0, 11, 3), window.remainder(1, 9, 2));
        assertEquals(x.shape(), back.shape());
        assertThrows(IllegalArgumentException.class, () -> new ConvTranspose(window, 1, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> y.convTranspose(in(g, "w2", 4, 2, 3, 2), window, 2, 0, 0));
    }

    @Test
    void poolingShapesAndArguments() {
        Graph g = new Graph();
        Value x = in(g, "x", N, 3, 7, 6);
        assertEquals(Shape.of(N, 3, 3, 3), x.maxPool(2, 2).shape());
        assertEquals(Shape.of(N, 3, 4, 3), x.maxPool(3, 3, Window.of(2, 1, 1)).shape());
        Value indices = x.maxPoolIndices(3, 3, Window.of(2, 1, 1));
        assertEquals(DType.INT64, indices.type().dtype());
        assertEquals(Shape.of(N, 3, 4, 3), indices.shape());
        assertEquals(Shape.of(N, 3, 6, 5), x.averagePool(2, 2, Window.UNIT, false).shape());
        assertEquals(Shape.of(N, 3, 1, 1), x.globalAveragePool().shape());
        assertThrows(IllegalArgumentException.class, () -> new MaxPool(2, 2, Window.of(1, 2, 1), false));
        assertThrows(IllegalArgumentException.class, () -> new AveragePool(2, 2, Window.of(1, 0, 2), true));
    }

    @Test
    void scatterElementsKeepsTheDataShapeAndChecksTheIndices() {
        Graph g = new Graph();
        Value data = in(g, "data", N, 5);
        Value idx = g.input("i", Role.DATA, DType.INT64, Shape.of(N, 3));
        Value updates = in(g, "u", N, 3);
        assertEquals(Shape.of(N, 5), data.scatterAdd(idx, updates, 1).shape());
        assertThrows(IllegalArgumentException.class, () -> data.scatterAdd(idx, in(g, "u2", N, 2), 1));
        assertThrows(IllegalArgumentException.class, () -> data.scatterAdd(idx, updates, 0));
        assertThrows(IllegalArgumentException.class, () -> data.scatterAdd(updates, updates, 1));
    }

    @Test
    void averagePoolCountsOnlyPixelsInsideTheImageUnlessTold() {
        AveragePool exclude = new AveragePool(3, 3, Window.of(1, 1, 1), false);
        assertArrayEquals(new float[] {4, 6, 4, 6, 9, 6, 4, 6, 4}, exclude.counts(3, 3));
        AveragePool include = new AveragePool(3, 3, Window.of(1, 1, 1), true);
        for (float c : include.counts(3, 3)) {
            assertEquals(9, c);
        }
    }

    @Test
    void maxPoolTakesTheWindowsFirstPixelWhereNoneIsLarger() {
        Graph g = new Graph();
        Value x = in(g, "x", 1, 1, 2, 2);
        g.output("argmax", x.maxPoolIndices(2, 2, Window.UNIT));
        g.output("max", x.maxPool(2, 2, Window.UNIT));
        double nan = Double.NaN;
        Map<String, double[]> r = ReferenceInterpreter.run(g, 1, Map.of("x", new double[] {nan, nan, nan, nan}));
        assertArrayEquals(new double[] {0}, r.get("argmax"), 0);
        r = ReferenceInterpreter.run(g, 1, Map.of("x", new double[] {1, 3, 3, 2}));
        assertArrayEquals(new double[] {1}, r.get("argmax"), 0, "ties: the first maximum");
        assertArrayEquals(new double[] {3}, r.get("max"), 0);
    }

    @Test
    void referenceComputesHandCheckedConvolutionsAndPools() {
        Graph g = new Graph();
        Value x = in(g, "x", 1, 1, 3, 3);
        Value w = in(g, "w", 1, 1, 2, 2);
        g.output("conv", x.conv(w, 1, 0));
        g.output("strided", x.conv(w, Window.of(2, 1, 1), 1));
        g.output("max", x.maxPool(2, 2, Window.of(1, 0, 1)));
        g.output("argmax", x.maxPoolIndices(2, 2, Window.of(1, 0, 1)));
        g.output("avg", x.averagePool(2, 2, Window.of(2, 1, 1), false));
        g.output("back", x.convTranspose(w, Window.of(2, 0, 1), 1, 1, 0));
        double[] image = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[] kernel = {1, 0, 0, -1};
        Map<String, double[]> r = ReferenceInterpreter.run(g, 1, Map.of("x", image, "w", kernel));
        assertArrayEquals(new double[] {-4, -4, -4, -4}, r.get("conv"), 0);
        // pad 1, stride 2: windows at rows/cols -1 and 1; x[2i−1, 2j−1] − x[2i, 2j], zero outside
        assertArrayEquals(new double[] {-1, -3, -7, 5 - 9}, r.get("strided"), 0);
        assertArrayEquals(new double[] {5, 6, 8, 9}, r.get("max"), 0);
        assertArrayEquals(new double[] {4, 5, 7, 8}, r.get("argmax"), 0);
        assertArrayEquals(new double[] {1, 2.5, 5.5, 7}, r.get("avg"), 0);
        double[] back = r.get("back");
        assertEquals(7 * 6, back.length);
        assertEquals(1, back[0]);
        assertEquals(-1, back[6 + 1]);
        assertEquals(-5, back[3 * 6 + 3], 0, "x[1,1]·w[1,1] lands at (3, 3)");
        assertTrue(back[6 * 6 + 5] == 0, "output padding rows stay zero");
    }
}
