package dev.theta.api.ops;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Value;
import dev.theta.api.testing.CaseTests;
import dev.theta.api.reference.PrimitiveCase;
import dev.theta.api.reference.PrimitiveCases;
import dev.theta.api.reference.ReferenceInterpreter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A primitive, or a row of UnaryFn/BinaryFn/CompareFn/ReduceFn, added without cases in {@link PrimitiveCases}
 * fails the build here.
 */
class PrimitiveCoverageTest {
    @Test
    void everyPrimitiveAndEveryRowHasCases() {
        List<Object> required = new ArrayList<>(List.of(Op.class.getPermittedSubclasses()));
        required.addAll(List.of(UnaryFn.values()));
        required.addAll(List.of(BinaryFn.values()));
        required.addAll(List.of(CompareFn.values()));
        required.addAll(List.of(ReduceFn.values()));
        List<String> missing = required.stream().filter(k -> PrimitiveCases.covering(k).isEmpty())
                .map(k -> k instanceof Class<?> c ? c.getSimpleName() : k.getClass().getSimpleName() + "." + k).toList();
        assertTrue(missing.isEmpty(), "primitives without test cases in PrimitiveCases: " + missing);
    }

    @Test
    void everySmoothCaseWithAFloatInputIsCheckedAgainstFiniteDifferences() {
        for (Class<?> op : Op.class.getPermittedSubclasses()) {
            boolean differentiable = PrimitiveCases.covering(op).stream().anyMatch(c -> c.hasGradient() && c.smooth());
            boolean floatInput = PrimitiveCases.covering(op).stream().anyMatch(PrimitiveCase::hasGradient);
            assertEquals(floatInput, differentiable, op.getSimpleName() + " has float inputs but no smooth case");
        }
    }

    /** Each case's graph really contains its primitive (and row), and the reference evaluates it to finite values. */
    @TestFactory
    Stream<DynamicTest> everyCaseExercisesItsPrimitive() {
        return CaseTests.forEach(c -> true, c -> {
            Graph g = c.forwardGraph();
            boolean found = g.nodes().stream().map(Value::op).anyMatch(op -> op.getClass() == c.op() && (c.row() == null || rowOf(op) == c.row()));
            assertTrue(found, "graph lacks " + c.op().getSimpleName() + " " + c.row() + ":\n" + g);
            double[] y = ReferenceInterpreter.run(g, c.batch(), c.inputs()).get(PrimitiveCase.OUTPUT);
            for (double v : y) {
                assertTrue(Double.isFinite(v), "non-finite output " + v);
            }
        });
    }

    @Test
    void caseNamesAreUnique() {
        assertEquals(PrimitiveCases.all().size(), PrimitiveCases.all().stream().map(PrimitiveCase::name).distinct().count());
    }

    private static Enum<?> rowOf(Op op) {
        return switch (op) {
            case Unary u -> u.fn();
            case Binary b -> b.fn();
            case Compare c -> c.fn();
            case Reduce r -> r.fn();
            default -> null;
        };
    }
}
