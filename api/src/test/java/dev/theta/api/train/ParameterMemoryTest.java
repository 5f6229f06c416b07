package dev.theta.api.train;

import dev.theta.api.tensor.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParameterMemoryTest {
    @Test
    void parametersFittingHalfTheHeapAreAccepted() {
        ParameterMemory memory = new ParameterMemory(64L << 20);
        memory.declare("a.weight", Shape.of(2048, 2048)); // 16 MiB, 32 MiB with its gradient
        memory.declare("b.weight", Shape.of(2048, 2048)); // 64 MiB in all: exactly the limit
    }

    @Test
    void theParameterThatCrossesTheLimitIsNamedWithTheSizeAskedFor() {
        ParameterMemory memory = new ParameterMemory(64L << 20);
        memory.declare("a.weight", Shape.of(2048, 2048));
        memory.declare("a.bias", Shape.of(2048));
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> memory.declare("b.weight", Shape.of(2048, 2048)));
        assertEquals("the model's parameters need at least 64 MB: 8,390,656 floats by parameter 'b.weight' [2048, 2048],"
                + " each held with its gradient, before any optimizer state or activation; the heap holds 64 MB", e.getMessage());
    }

    @Test
    void sizesFromAGigabyteOnAreInGigabytes() {
        assertEquals("7.2 GB", ParameterMemory.size(7_730_941_133L));
        assertEquals("1 MB", ParameterMemory.size(10));
    }

    @Test
    void anUnboundedHeapRefusesNothing() {
        new ParameterMemory(Long.MAX_VALUE).declare("w", Shape.of(46340, 46340));
    }
}
