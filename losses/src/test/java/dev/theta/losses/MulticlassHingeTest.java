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

/** The multiclass hinge loss against PyTorch's MultiMarginLoss definition in double precision. */
class MulticlassHingeTest {
    private static final int K = 4;
    private static final List<Double> WEIGHTS = List.of(1.5, 0.0, 0.25, 2.0);

    static Stream<Arguments> cases() {
        Map<String, List<?>> choices = new LinkedHashMap<>();
        choices.put("p", List.of(1, 2));
        choices.put("margin", List.of(1.0, 0.5));
        choices.put("weights", List.of(List.of(), WEIGHTS));
        return LossFixture.combinations(choices).stream()
                .flatMap(o -> Stream.of(0.1, 1.0, 10.0, 100.0, 1000.0).map(scale -> Arguments.of(o, scale)));
    }

    @ParameterizedTest(name = "{0} at scale {1}")
    @MethodSource("cases")
    void matchesReference(Map<String, Object> options, double scale) {
        LossFixture.Batch b = LossFixture.Batch.classes(12, K, K, scale, 5);
        int p = (Integer) options.get("p");
        double margin = (Double) options.get("margin");
        @SuppressWarnings("unchecked")
        List<Double> weights = (List<Double>) options.get("weights");
        // Row 0 is all zeros: every term is margin^p and the target's own term must be left out.
        LossFixture.checkAllReductions(new MulticlassHinge(), options, b, (h, t, grad) -> {
            int y = (int) t[0];
            double w = weights.isEmpty() ? 1 : weights.get(y);
            double loss = 0;
            for (int j = 0; j < K; j++) {
                double z = margin - h[y] + h[j];
                if (j == y || z <= 0) {
                    continue;
                }
                loss += w * Math.pow(z, p) / K;
                double dz = w * p * Math.pow(z, p - 1) / K;
                grad[j] += dz;
                grad[y] -= dz;
            }
            return loss;
        });
    }

    @Test
    void refusesAPowerOtherThanOneOrTwo() {
        OptionException e = assertThrows(OptionException.class,
                () -> new MulticlassHinge().options().validate(Map.of("p", 3), "loss", List.of()));
        assertEquals("loss.p = 3: must be in [1, 2]", e.getMessage());
    }

    @Test
    void refusesANonPositiveMargin() {
        OptionException e = assertThrows(OptionException.class,
                () -> new MulticlassHinge().options().validate(Map.of("margin", 0), "loss", List.of()));
        assertEquals("loss.margin = 0: must be in (0, inf)", e.getMessage());
    }

    @Test
    void refusesAWeightCountOtherThanTheClassCount() {
        DataSpec spec = DataSpec.classification(Shape.of(1), 3, List.of());
        OptionException e = assertThrows(OptionException.class,
                () -> LossFixture.create(new MulticlassHinge(), Map.of("weights", List.of(1, 1, 1, 1)), spec));
        assertEquals("loss.weights = [1.0, 1.0, 1.0, 1.0]: has 4 entries, but the data has 3 classes: give one weight per class",
                e.getMessage());
    }
}
