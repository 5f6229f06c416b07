package dev.theta.runner.report;

import dev.theta.core.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepsFileTest {
    @TempDir
    Path dir;

    @Test
    void readsTheContractFormat() throws IOException {
        Path file = Files.writeString(dir.resolve(StepsFile.NAME), "step,epoch,loss,lr\n1,1,2.5,0.01\n2,1,NaN,0.01\n3,2,,0.005\n");
        List<StepsFile.Step> steps = StepsFile.read(file);
        assertEquals(new StepsFile.Step(1, 1, 2.5, 0.01), steps.get(0));
        assertTrue(Double.isNaN(steps.get(1).loss()), "a diverged step's loss is NaN");
        assertTrue(Double.isNaN(steps.get(2).loss()), "an empty loss is NaN");
        assertEquals(2, steps.get(2).epoch());
    }

    @Test
    void findsColumnsByNameAndIgnoresOthers() throws IOException {
        Path file = Files.writeString(dir.resolve(StepsFile.NAME), "epoch,step,seconds,lr,loss\n1,7,0.2,0.1,0.75\n");
        assertEquals(List.of(new StepsFile.Step(7, 1, 0.75, 0.1)), StepsFile.read(file));
    }

    @Test
    void malformedLinesAreNamed() throws IOException {
        Path short_ = Files.writeString(dir.resolve("short.csv"), "step,epoch,loss,lr\n1,1,2.5,0.01\n2,1,2.4\n");
        UserError e = assertThrows(UserError.class, () -> StepsFile.read(short_));
        assertTrue(e.getMessage().contains("short.csv:3: has 3 fields, the header 4"), e.getMessage());
        Path header = Files.writeString(dir.resolve("header.csv"), "step,epoch,loss\n1,1,2.5\n");
        e = assertThrows(UserError.class, () -> StepsFile.read(header));
        assertTrue(e.getMessage().contains("header.csv:1: header [step, epoch, loss] lacks column 'lr'"), e.getMessage());
        Path text = Files.writeString(dir.resolve("text.csv"), "step,epoch,loss,lr\none,1,2.5,0.01\n");
        e = assertThrows(UserError.class, () -> StepsFile.read(text));
        assertTrue(e.getMessage().contains("text.csv:2: holds a value that is not a number"), e.getMessage());
    }

    @Test
    void smoothingIsABiasCorrectedMovingAverage() {
        // tau 2: beta 0.5. Step 1: 0.5 * 1 / (1 - 0.5) = 1. Step 2: (0.25 + 1.5) / (1 - 0.25) = 7/3. NaN is skipped.
        List<double[]> s = StepsFile.smooth(List.of(new double[] {1, 1}, new double[] {2, Double.NaN}, new double[] {3, 3}), 2);
        assertEquals(2, s.size());
        assertEquals(1, s.get(0)[1], 1e-12);
        assertEquals(3, s.get(1)[0]);
        assertEquals(7.0 / 3, s.get(1)[1], 1e-12);
        List<double[]> constant = StepsFile.smooth(List.of(new double[] {1, 4}, new double[] {2, 4}, new double[] {3, 4}), 50);
        constant.forEach(p -> assertEquals(4, p[1], 1e-12, "a constant is its own average from the first step"));
        assertEquals(2, StepsFile.timeConstant(10));
        assertEquals(300, StepsFile.timeConstant(30_000));
    }

    @Test
    void decimationKeepsEachBucketsExtremesInStepOrder() {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            points.add(new double[] {i, Math.sin(i / 10.0) + (i == 54_321 ? 9 : 0)});
        }
        List<double[]> kept = StepsFile.decimate(points);
        assertTrue(kept.size() <= 2 * StepsFile.MAX_BUCKETS, kept.size() + " points");
        assertTrue(kept.stream().anyMatch(p -> p[0] == 54_321), "the outlier survives");
        for (int i = 1; i < kept.size(); i++) {
            assertTrue(kept.get(i)[0] > kept.get(i - 1)[0], "in step order");
        }
        List<double[]> few = points.subList(0, 100);
        assertEquals(few, StepsFile.decimate(few), "short runs are drawn as they are");
    }
}
