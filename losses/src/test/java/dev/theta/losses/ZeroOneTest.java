package dev.theta.losses;

import dev.theta.api.options.OptionException;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.Initializer;
import dev.theta.api.spi.Loss;
import dev.theta.api.tensor.Shape;
import dev.theta.api.train.TrainingProgram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 0-1 metric, k scores and one score, against its definition; training on it is refused. */
class ZeroOneTest {

    @ParameterizedTest(name = "k scores at scale {0}")
    @ValueSource(doubles = {1, 100, 1000})
    void kScoresCountWrongArgmax(double scale) {
        LossFixture.Batch b = LossFixture.Batch.classes(50, 4, 4, scale, 7);
        // Row 0 is all zeros: the target ties with the maximum, which counts as correct.
        LossFixture.checkAllReductions(new ZeroOne(), Map.of("scores", "k"), b, (h, t, grad) -> {
            for (double v : h) {
                if (v > h[(int) t[0]]) {
                    return 1;
                }
            }
            return 0;
        });
    }

    @ParameterizedTest(name = "one score at scale {0}")
    @ValueSource(doubles = {1, 100, 1000})
    void oneScoreCountsNonPositiveMargins(double scale) {
        LossFixture.Batch b = LossFixture.Batch.classes(50, 2, 1, scale, 7);
        // Row 0 scores exactly 0: an error for either class.
        LossFixture.checkAllReductions(new ZeroOne(), Map.of("scores", "one"), b,
                (h, t, grad) -> (2 * t[0] - 1) * h[0] <= 0 ? 1 : 0);
    }

    @ParameterizedTest(name = "scores {0}")
    @CsvSource({"k, ARGMAX, 'cross-entropy'", "one, SIGN, 'logistic' or 'hinge'"})
    void trainingOnItIsRefusedNamingASurrogate(String scores, Decision decision, String surrogate) {
        DataSpec spec = DataSpec.classification(Shape.of(3), 2, List.of());
        Loss loss = LossFixture.create(new ZeroOne(), Map.of("scores", scores), spec);
        assertEquals(decision, loss.decision());
        int width = loss.scores(spec);
        Hypothesis h = (p, x) -> x.matmul(p.create("W", Shape.of(3, width), 3, width, Initializer.ZEROS));
        OptionException e = assertThrows(OptionException.class,
                () -> TrainingProgram.build(spec, h, loss, u -> u.parameter(), 0));
        assertEquals("loss.name", e.path());
        assertTrue(e.getMessage().contains(surrogate), e.getMessage());
        assertTrue(e.getMessage().contains("metric"), e.getMessage());
    }

    @ParameterizedTest(name = "scores {0}, {1} classes")
    @CsvSource({"k, 1", "one, 3"})
    void needsEnoughClasses(String scores, int classes) {
        DataSpec spec = DataSpec.classification(Shape.of(3), classes, List.of());
        OptionException e = assertThrows(OptionException.class,
                () -> LossFixture.create(new ZeroOne(), Map.of("scores", scores), spec));
        assertTrue(e.getMessage().startsWith("loss: "), e.getMessage());
        assertTrue(e.getMessage().contains(classes + " class(es)"), e.getMessage());
    }
}
