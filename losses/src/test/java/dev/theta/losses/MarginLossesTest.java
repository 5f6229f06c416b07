package dev.theta.losses;

import dev.theta.api.options.OptionException;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one-score losses ℓ(m) of the margin m = y·h with y = 2·class − 1, against double-precision definitions:
 * every reduction, scores up to |h| ≈ 3000, the margin 0 (row 0) and the hinge's kink m = 1 (row 1).
 */
class MarginLossesTest {
    /** ℓ(m) and dℓ/dm in double precision. */
    private interface Definition {
        double loss(double m);

        double derivative(double m);
    }

    private static final Definition LOGISTIC = new Definition() {
        @Override
        public double loss(double m) {
            return m >= 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
        }

        @Override
        public double derivative(double m) {
            return -1 / (1 + Math.exp(m));
        }
    };

    private static final Definition HINGE = new Definition() {
        @Override
        public double loss(double m) {
            return Math.max(1 - m, 0);
        }

        @Override
        public double derivative(double m) {
            return 1 - m > 0 ? -1 : 0;
        }
    };

    private static final Definition SQUARED_HINGE = new Definition() {
        @Override
        public double loss(double m) {
            return Math.pow(Math.max(1 - m, 0), 2);
        }

        @Override
        public double derivative(double m) {
            return -2 * Math.max(1 - m, 0);
        }
    };

    private static final Definition EXPONENTIAL = new Definition() {
        @Override
        public double loss(double m) {
            return Math.exp(-m);
        }

        @Override
        public double derivative(double m) {
            return -Math.exp(-m);
        }
    };

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(new Logistic(), LOGISTIC), Arguments.of(new Hinge(), HINGE),
                        Arguments.of(new SquaredHinge(), SQUARED_HINGE), Arguments.of(new Exponential(), EXPONENTIAL))
                .flatMap(a -> Stream.of(0.1, 1.0, 10.0, 100.0, 1000.0).map(scale -> Arguments.of(a.get()[0], a.get()[1], scale)));
    }

    @ParameterizedTest(name = "{0} at scale {2}")
    @MethodSource("cases")
    void matchesReference(LossProvider provider, Definition definition, double scale) {
        LossFixture.Batch b = LossFixture.Batch.classes(16, 2, 1, scale, 11);
        float[] h = b.scores();
        h[1] = label(b, 1);
        if (provider instanceof Exponential) {
            // exp(−m) exceeds float32 for m < −88 (see exponentialOverflowsOnlyWhereTheTrueValueDoes); large scores
            // are given the right sign, so |h| still reaches ~3000.
            for (int i = 0; i < h.length; i++) {
                if (label(b, i) * h[i] < -80) {
                    h[i] = -h[i];
                }
            }
        }
        LossFixture.checkAllReductions(provider, Map.of(), b, (s, t, grad) -> {
            double y = 2 * t[0] - 1;
            grad[0] = y * definition.derivative(y * s[0]);
            return definition.loss(y * s[0]);
        });
    }

    private static float label(LossFixture.Batch b, int i) {
        return 2 * b.classes()[i] - 1;
    }

    @Test
    void logisticGradientAtAZeroScoreIsMinusYOverTwo() {
        LossFixture.Batch b = new LossFixture.Batch(DataSpec.classification(Shape.of(1), 2, List.of()), 2, 1,
                new float[] {0, 0}, new long[] {0, 1}, null);
        LossFixture.Result r = LossFixture.run(new Logistic(), Map.of("reduction", "sum"), b);
        assertEquals(List.of(0.5, -0.5), List.of(r.gradient()[0], r.gradient()[1]));
    }

    /**
     * exp(100) ≈ 2.7e43 is beyond float32 (max ≈ 3.4e38): there the loss is +inf, as in PyTorch's float32, never NaN;
     * with the right sign it is finite (exp(−100) ≈ 3.7e−44, a float32 subnormal).
     */
    @Test
    void exponentialOverflowsOnlyWhereTheTrueValueDoes() {
        LossFixture.Batch b = new LossFixture.Batch(DataSpec.classification(Shape.of(1), 2, List.of()), 4, 1,
                new float[] {100, -100, -100, 100}, new long[] {1, 0, 1, 0}, null);
        LossFixture.Result r = LossFixture.run(new Exponential(), Map.of("reduction", "sum"), b);
        assertEquals((float) Math.exp(-100), r.perExample()[0], 0);
        assertEquals((float) Math.exp(-100), r.perExample()[1], 0);
        assertEquals(Double.POSITIVE_INFINITY, r.perExample()[2]);
        assertEquals(Double.POSITIVE_INFINITY, r.perExample()[3]);
        assertEquals(List.of(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY), List.of(r.gradient()[2], r.gradient()[3]));
        assertEquals(Double.POSITIVE_INFINITY, r.objective()[0]);
    }

    static Stream<LossProvider> providers() {
        return Stream.of(new Logistic(), new Hinge(), new SquaredHinge(), new Exponential());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void readOneScoreAndDecideBySign(LossProvider provider) {
        DataSpec spec = DataSpec.classification(Shape.of(3), 2, List.of("benign", "malignant"));
        Loss loss = LossFixture.create(provider, Map.of(), spec);
        assertEquals(1, loss.scores(spec));
        assertEquals(Decision.SIGN, loss.decision());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("providers")
    void needExactlyTwoClasses(LossProvider provider) {
        OptionException three = assertThrows(OptionException.class,
                () -> LossFixture.create(provider, Map.of(), DataSpec.classification(Shape.of(3), 3, List.of())));
        assertTrue(three.getMessage().contains("exactly 2 classes") && three.getMessage().contains("3 class(es)"), three.getMessage());
        OptionException real = assertThrows(OptionException.class,
                () -> LossFixture.create(provider, Map.of(), new DataSpec(Shape.of(3), DType.FLOAT32, 0, List.of(), Shape.SCALAR)));
        assertTrue(real.getMessage().contains("real-valued targets"), real.getMessage());
    }
}
