package dev.theta.core.training;

import dev.theta.core.config.RunConfig.EarlyStopping;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStopperTest {
    private static List<EpochMetrics> epoch(int epoch, double testLoss, double testAccuracy) {
        return List.of(new EpochMetrics(epoch, "train", 1.0, 0.5, 10, 0.1, null),
                new EpochMetrics(epoch, "test", testLoss, testAccuracy, 10, 0.1, null));
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovement() {
        EarlyStopper s = new EarlyStopper(new EarlyStopping("test.loss", 2, true, 0, true));
        assertFalse(s.update(1, epoch(1, 0.9, 0)));
        assertFalse(s.update(2, epoch(2, 0.8, 0)));
        assertFalse(s.update(3, epoch(3, 0.85, 0)), "one bad epoch is within patience");
        assertTrue(s.update(4, epoch(4, 0.81, 0)), "two epochs without beating 0.8");
        assertTrue(s.describe().contains("best 0.8") && s.describe().contains("epoch 2"), s.describe());
    }

    @Test
    void improvementsSmallerThanMinDeltaDoNotCount() {
        EarlyStopper s = new EarlyStopper(new EarlyStopping("test.accuracy", 1, false, 0.01, true));
        assertFalse(s.update(1, epoch(1, 1, 0.90)));
        assertTrue(s.update(2, epoch(2, 1, 0.905)), "+0.005 is below min-delta 0.01");
    }

    @Test
    void replayAfterResumeContinuesTheCount() {
        List<EpochMetrics> history = new ArrayList<>();
        history.addAll(epoch(1, 0.5, 0));
        history.addAll(epoch(2, 0.6, 0));
        EarlyStopper s = new EarlyStopper(new EarlyStopping("test.loss", 2, true, 0, true));
        s.replay(history);
        assertTrue(s.update(3, epoch(3, 0.7, 0)), "epochs 2 and 3 did not improve on epoch 1");
    }

    @Test
    void noSettingsNeverStops() {
        EarlyStopper s = new EarlyStopper(null);
        for (int e = 1; e < 20; e++) {
            assertFalse(s.update(e, epoch(e, e, 0)));
        }
        assertEquals(false, s.update(20, epoch(20, 99, 0)));
    }
}
