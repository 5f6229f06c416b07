package dev.theta.runner.plugins;

import dev.theta.api.reference.Conformance;
import dev.theta.api.reference.PrimitiveCase;
import dev.theta.api.reference.PrimitiveCases;
import dev.theta.api.spi.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/** The conformance suite the built-in backends pass ({@link Conformance} over {@link PrimitiveCases}), as check rows. */
final class BackendChecks {
    static final String AVAILABLE = "available here";
    static final String FORWARD = "forward vs reference";
    static final String GRADIENT = "gradient vs reference";
    static final String DETERMINISTIC = "deterministic runs";
    static final String CARRY = "carried outputs";

    private BackendChecks() {
    }

    static List<CheckResult> run(Backend backend) {
        List<CheckResult> results = new ArrayList<>();
        String unavailable = backend.unavailableReason();
        if (unavailable != null) {
            results.add(CheckResult.fail(AVAILABLE, unavailable));
            return results;
        }
        results.add(CheckResult.pass(AVAILABLE, ""));
        Conformance conformance = new Conformance(backend, Conformance.TOLERANCE);
        results.add(cases(FORWARD, c -> true, conformance::forward));
        results.add(cases(GRADIENT, PrimitiveCase::hasGradient, conformance::gradient));
        results.add(cases(DETERMINISTIC, c -> true, conformance::deterministic));
        results.add(CheckResult.run(CARRY, () -> {
            conformance.carriedOutputsReplaceTheirInputs();
            return "3 steps of gradient descent";
        }));
        return results;
    }

    private static CheckResult cases(String check, Predicate<PrimitiveCase> which, java.util.function.Consumer<PrimitiveCase> body) {
        List<PrimitiveCase> cases = PrimitiveCases.all().stream().filter(which).toList();
        List<String> failures = new ArrayList<>();
        BiConsumer<PrimitiveCase, Throwable> failed = (c, e) -> failures.add(c.name() + ": " + e.getMessage());
        for (PrimitiveCase c : cases) {
            try {
                body.accept(c);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                failed.accept(c, e);
            }
        }
        if (failures.isEmpty()) {
            return CheckResult.pass(check, cases.size() + " primitive cases");
        }
        return CheckResult.fail(check, failures.size() + " of " + cases.size() + " cases fail; first: " + failures.get(0));
    }
}
