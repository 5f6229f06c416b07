package dev.theta.api.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapeTest {
    private static final int N = Shape.BATCH;

    @Test
    void broadcastsLikeNumPy() {
        assertEquals(Shape.of(N, 3), Shape.broadcast(Shape.of(N, 3), Shape.of(3)));
        assertEquals(Shape.of(N, 3), Shape.broadcast(Shape.of(3), Shape.of(N, 3)));
        assertEquals(Shape.of(2, 3, 4), Shape.broadcast(Shape.of(2, 1, 4), Shape.of(3, 1)));
        assertEquals(Shape.of(2, 3), Shape.broadcast(Shape.SCALAR, Shape.of(2, 3)));
        assertEquals(Shape.of(2, 3), Shape.broadcast(Shape.of(2, 3), Shape.SCALAR));
        assertEquals(Shape.of(N, 4), Shape.broadcast(Shape.of(N, 1), Shape.of(1, 4)));
        assertEquals(Shape.of(N, 3), Shape.broadcast(Shape.of(N, 3), Shape.of(N, 3)));
    }

    @Test
    void batchBroadcastsOnlyAgainstOneOrItself() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.broadcast(Shape.of(N, 3), Shape.of(2, 3)));
        assertTrue(e.getMessage().contains("[N, 3]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shape.broadcast(Shape.of(N), Shape.of(Shape.batchTimes(2))));
        assertThrows(IllegalArgumentException.class, () -> Shape.broadcast(Shape.of(3), Shape.of(4)));
    }

    @Test
    void symbolicDimensions() {
        Shape s = Shape.of(N, 3, Shape.batchTimes(2));
        assertTrue(s.hasBatch());
        assertEquals(2, s.symbolicDims());
        assertEquals(Shape.of(5, 3, 10), s.resolve(5));
        assertEquals(150, s.size(5));
        assertThrows(IllegalStateException.class, s::size);
        assertFalse(Shape.of(2, 3).hasBatch());
        assertEquals(6, Shape.of(2, 3).size());
        assertEquals(1, Shape.SCALAR.size());
        assertThrows(IllegalArgumentException.class, () -> Shape.batchTimes(0));
    }

    @Test
    void elementCountAsADimension() {
        assertEquals(-8, Shape.of(N, 8).elementCountDim());
        assertEquals(-12, Shape.of(2, Shape.batchTimes(2), 3).elementCountDim());
        assertEquals(6, Shape.of(2, 3).elementCountDim());
        assertThrows(IllegalArgumentException.class, () -> Shape.of(N, N).elementCountDim());
    }

    @Test
    void axesAndPrinting() {
        Shape s = Shape.of(N, 3, 4);
        assertEquals(2, s.axis(-1));
        assertEquals(0, s.axis(-3));
        assertEquals(4, s.dim(-1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.axis(3));
        assertTrue(e.getMessage().contains("axis 3") && e.getMessage().contains("[N, 3, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.axis(-4));
        assertEquals("[N, 3, 4]", s.toString());
        assertEquals("[2N]", Shape.of(Shape.batchTimes(2)).toString());
        assertEquals("[]", Shape.SCALAR.toString());
    }

    @Test
    void valueSemantics() {
        int[] dims = {2, 3};
        Shape s = Shape.of(dims);
        dims[0] = 7;
        assertEquals(Shape.of(2, 3), s);
        assertEquals(Shape.of(2, 3).hashCode(), s.hashCode());
        s.dims()[0] = 9;
        assertEquals(2, s.dim(0));
    }
}
