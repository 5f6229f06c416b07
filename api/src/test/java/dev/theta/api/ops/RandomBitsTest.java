package dev.theta.api.ops;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The definition of {@link RandomBits}, pinned: a changed constant would change every dropout mask, so runs could no
 * longer be resumed or reproduced. The values were computed independently (Python, arbitrary-precision integers).
 */
class RandomBitsTest {
    @Test
    void pinnedValues() {
        assertEquals(204463914L, RandomBits.bits(0, 0, 0));
        assertEquals(774747359L, RandomBits.bits(0, 0, 1));
        assertEquals(1230734251L, RandomBits.bits(12345, 7, 99));
        assertEquals(1896895516L, RandomBits.stream(0, 0));
        assertEquals(1251833272L, RandomBits.stream(7, 3));
        assertEquals(1919727803L, RandomBits.stream(-1, 0));
    }

    @Test
    void countersAreTakenModulo2To31() {
        assertEquals(508448954L, RandomBits.bits(12345, -1, 3));
        assertEquals(508448954L, RandomBits.bits(12345, RandomBits.RANGE - 1, 3));
    }

    @Test
    void distinctIndicesGiveDistinctBitsIn31Bits() {
        long key = RandomBits.key(RandomBits.stream(1, 0), 1);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 1 << 16; i++) {
            long b = RandomBits.permute(i, key);
            assertTrue(b >= 0 && b < RandomBits.RANGE, "in range: " + b);
            assertTrue(seen.add(b), "index " + i + " repeats " + b);
        }
    }

    @Test
    void streamsOutsideThe31BitRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RandomBits(-1));
        assertThrows(IllegalArgumentException.class, () -> new RandomBits(RandomBits.RANGE));
    }
}
