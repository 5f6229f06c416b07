package dev.theta.api.options;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class NamesTest {
    private static final List<String> KNOWN = List.of("sgd", "adam", "momentum", "cross-entropy");

    @Test
    void suggestsTheClosestName() {
        assertEquals("adam", Names.nearest("adm", KNOWN));
        assertEquals("adam", Names.nearest("ADAM", KNOWN));
        assertEquals("momentum", Names.nearest("momentun", KNOWN));
        assertEquals("cross-entropy", Names.nearest("crossentropy", KNOWN));
        assertEquals("sgd", Names.nearest("sdg", KNOWN));
    }

    @Test
    void suggestsNothingWhenNothingIsClose() {
        assertNull(Names.nearest("lbfgs", KNOWN));
        assertNull(Names.nearest("anything", List.of()));
    }

    @Test
    void editDistance() {
        assertEquals(0, Names.distance("abc", "abc"));
        assertEquals(3, Names.distance("kitten", "sitting"));
        assertEquals(3, Names.distance("", "abc"));
    }
}
