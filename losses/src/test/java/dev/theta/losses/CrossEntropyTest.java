package dev.theta.losses;

import dev.theta.api.options.OptionException;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Cross-entropy against PyTorch's definition in double precision: every reduction, smoothing and weighting. */
class CrossEntropyTest {
    private static final int K = 5;
    private static final List<Double> WEIGHTS = List.of(0.5, 2.0, 0.0, 1.0, 3.0);

    static Stream<Arguments> cases() {
        Map<String, List<?>> choices = new LinkedHashMap<>();
        choices.put("label-smoothing", List.of(0.0, 0.1, 1.0));
        choices.put("weights", List.of(List.of(), WEIGHTS));
        return LossFixture.combinations(choices).stream()
                .flatMap(o -> Stream.of(0.1, 1.0, 10.0, 100.0, 1000.0).map(scale -> Arguments.of(o, scale)));
    }

    @ParameterizedTest(name = "{0} at scale {1}")
    @MethodSource("cases")
    void matchesReference(Map<String, Object> options, double scale) {
        LossFixture.Batch b = LossFixture.Batch.classes(12, K, K, scale, 42);
        double smoothing = (Double) options.get("label-smoothing");
        @SuppressWarnings("unchecked")
        List<Double> w = (List<Double>) options.get("weights");
        LossFixture.checkAllReductions(new CrossEntropy(), options, b, reference(smoothing, w));
    }

    /** ℓ = (1−ε)·w_y·(−log p_y) + ε/k·Σ_c w_c·(−log p_c); dℓ/dh_j = Σ_c q_c·(p_j − δ_cj) with q_c the target weights. */
    private static LossFixture.Reference reference(double smoothing, List<Double> weights) {
        return new LossFixture.Reference() {
            @Override
            public double loss(double[] h, double[] t, double[] grad) {
                int k = h.length;
                int y = (int) t[0];
                double max = Double.NEGATIVE_INFINITY;
                for (double v : h) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (double v : h) {
                    sum += Math.exp(v - max);
                }
                double logZ = max + Math.log(sum);
                double[] q = new double[k];
                for (int c = 0; c < k; c++) {
                    q[c] = w(c) * ((c == y ? 1 - smoothing : 0) + smoothing / k);
                }
                double loss = 0;
                double qSum = 0;
                for (int c = 0; c < k; c++) {
                    loss += q[c] * (logZ - h[c]);
                    qSum += q[c];
                }
                for (int j = 0; j < k; j++) {
                    grad[j] = qSum * Math.exp(h[j] - logZ) - q[j];
                }
                return loss;
            }

            @Override
            public double meanWeight(double[] t) {
                return w((int) t[0]);
            }

            private double w(int c) {
                return weights.isEmpty() ? 1 : weights.get(c);
            }
        };
    }

    @Test
    void refusesSmoothingOutsideTheUnitInterval() {
        OptionException e = assertThrows(OptionException.class,
                () -> new CrossEntropy().options().validate(Map.of("label-smoothing", 1.5), "loss", List.of()));
        assertEquals("loss.label-smoothing = 1.5: must be in [0, 1]", e.getMessage());
    }

    @Test
    void refusesNegativeWeights() {
        OptionException e = assertThrows(OptionException.class,
                () -> new CrossEntropy().options().validate(Map.of("weights", List.of(1.0, -0.5)), "loss", List.of()));
        assertEquals("loss.weights[1] = -0.5: must be in [0, inf)", e.getMessage());
    }

    @Test
    void refusesAWeightCountOtherThanTheClassCount() {
        DataSpec spec = DataSpec.classification(Shape.of(1), 3, List.of());
        OptionException e = assertThrows(OptionException.class,
                () -> LossFixture.create(new CrossEntropy(), Map.of("weights", List.of(1.0, 2.0)), spec));
        assertEquals("loss.weights", e.path());
        assertEquals("loss.weights = [1.0, 2.0]: has 2 entries, but the data has 3 classes: give one weight per class", e.getMessage());
    }

    @Test
    void refusesWeightsThatAreAllZero() {
        DataSpec spec = DataSpec.classification(Shape.of(1), 2, List.of());
        OptionException e = assertThrows(OptionException.class,
                () -> LossFixture.create(new CrossEntropy(), Map.of("weights", List.of(0.0, 0.0)), spec));
        assertEquals("loss.weights = [0.0, 0.0]: needs at least one positive weight", e.getMessage());
    }
}
