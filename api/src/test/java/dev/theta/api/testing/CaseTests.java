package dev.theta.api.testing;

import dev.theta.api.reference.PrimitiveCase;
import dev.theta.api.reference.PrimitiveCases;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;

import java.util.function.Predicate;
import java.util.stream.Stream;

/** Dynamic tests over {@link PrimitiveCases}, named after the case, whose failures start with the case name. */
public final class CaseTests {
    private CaseTests() {
    }

    public static Stream<DynamicTest> forEach(Predicate<PrimitiveCase> which, ThrowingConsumer<PrimitiveCase> check) {
        return PrimitiveCases.all().stream().filter(which).map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            try {
                check.accept(c);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(c.name() + ": " + e.getMessage(), e);
            }
        }));
    }
}
