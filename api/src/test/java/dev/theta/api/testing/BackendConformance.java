package dev.theta.api.testing;

import dev.theta.api.reference.Conformance;
import dev.theta.api.reference.PrimitiveCase;
import dev.theta.api.spi.Backend;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * The conformance suite every backend runs, as JUnit tests: extend it in the backend's tests and implement
 * {@link #backend()}. The checks themselves are {@link Conformance}'s, which {@code theta check} runs too.
 */
public abstract class BackendConformance {
    /** The backend under test; called once per test, so it may return a fresh instance. */
    protected abstract Backend backend();

    /** Relative tolerance (absolute below 1) of float32 outputs against the double reference. */
    protected double tolerance() {
        return Conformance.TOLERANCE;
    }

    private Conformance conformance() {
        return new Conformance(backend(), tolerance());
    }

    @TestFactory
    public Stream<DynamicTest> forwardMatchesReference() {
        Conformance c = conformance();
        return CaseTests.forEach(x -> true, c::forward);
    }

    @TestFactory
    public Stream<DynamicTest> gradientMatchesReference() {
        Conformance c = conformance();
        return CaseTests.forEach(PrimitiveCase::hasGradient, c::gradient);
    }

    @TestFactory
    public Stream<DynamicTest> runsAreDeterministic() {
        Conformance c = conformance();
        return CaseTests.forEach(x -> true, c::deterministic);
    }

    @Test
    public void carriedOutputsReplaceTheirInputs() {
        conformance().carriedOutputsReplaceTheirInputs();
    }
}
