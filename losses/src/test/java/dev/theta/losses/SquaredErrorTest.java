package dev.theta.losses;

import dev.theta.api.options.OptionException;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The squared error against its definition in double precision; with the reference's mean weight m (target values
 * per example), mean and sum are PyTorch's MSELoss(reduction=mean) and MSELoss(reduction=sum).
 */
class SquaredErrorTest {
    static Stream<Arguments> cases() {
        return Stream.of(Shape.SCALAR, Shape.of(3), Shape.of(2, 2))
                .flatMap(s -> Stream.of(0.1, 1.0, 10.0, 100.0, 1000.0).map(scale -> Arguments.of(s, scale)));
    }

    @ParameterizedTest(name = "targets {0} at scale {1}")
    @MethodSource("cases")
    void matchesReference(Shape targetShape, double scale) {
        LossFixture.Batch b = LossFixture.Batch.regression(10, targetShape, scale, 3);
        LossFixture.checkAllReductions(new SquaredError(), Map.of(), b, new LossFixture.Reference() {
            @Override
            public double loss(double[] h, double[] t, double[] grad) {
                double loss = 0;
                for (int j = 0; j < h.length; j++) {
                    loss += (h[j] - t[j]) * (h[j] - t[j]);
                    grad[j] = 2 * (h[j] - t[j]);
                }
                return loss;
            }

            @Override
            public double meanWeight(double[] t) {
                return t.length;
            }
        });
    }

    @Test
    void refusesClassTargets() {
        OptionException e = assertThrows(OptionException.class,
                () -> LossFixture.create(new SquaredError(), Map.of(), DataSpec.classification(Shape.of(2), 3, List.of())));
        assertTrue(e.getMessage().startsWith("loss: squared-error needs real-valued targets, but the data has 3 classes"), e.getMessage());
    }
}
