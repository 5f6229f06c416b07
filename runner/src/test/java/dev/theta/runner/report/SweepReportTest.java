package dev.theta.runner.report;

import dev.theta.core.run.RunDirectory;
import dev.theta.runner.sweep.SweepPlan;
import dev.theta.runner.sweep.SweepResult;
import dev.theta.core.training.EpochMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepReportTest {
    @TempDir
    Path path;

    /** Every combination of {@code grid}; test accuracy rises with the combination's index, the last one fails. */
    private static List<SweepResult> results(SweepPlan plan) {
        List<SweepResult> results = new ArrayList<>();
        List<SweepPlan.Combination> all = plan.combinations();
        for (int i = 0; i < all.size(); i++) {
            boolean failed = i == all.size() - 1;
            List<EpochMetrics> history = failed ? List.of()
                    : List.of(new EpochMetrics(1, "test", 1, 0.5 + i / 100.0, 10, 0.1, null),
                    new EpochMetrics(2, "test", 0.5, 0.6 + i / 100.0, 10, 0.1, null));
            results.add(new SweepResult(all.get(i), all.get(i).name(), failed ? "failed" : "ok", failed ? "out of memory" : null, history, 0));
        }
        return results;
    }

    private String write(Map<String, List<Object>> grid) throws IOException {
        SweepPlan plan = new SweepPlan("test.accuracy", false, grid);
        SweepReport.write(new RunDirectory(path, false), "s", plan, results(plan));
        return Files.readString(path.resolve(RunReport.FILE));
    }

    @Test
    void twoSweptValuesGiveAGridHeatMapBesideTheTable() throws IOException {
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        grid.put("loss.name", List.of("logistic", "hinge"));
        grid.put("optimizer.lr", List.of(0.1, 0.01, 0.001));
        String html = write(grid);
        assertEquals(1, html.split("<svg class=\"chart\" id=\"grid\"").length - 1, "the grid once");
        assertEquals(1, html.split("<svg class=\"chart plot\" id='curves'").length - 1, "the curves once");
        assertTrue(html.contains("<title>2_loss.name-logistic_optimizer.lr-0.01: ok, test.accuracy = 0.6100</title>"), html);
        assertTrue(html.contains(">0.6400</text>"), "the best run's value is written into its cell");
        assertTrue(html.contains("out of memory"), "a failed run says why");
        assertTrue(html.contains(">optimizer.lr</text>") && html.contains(">hinge</text>"), "axes name the swept values");
        assertTrue(Files.exists(path.resolve("grid.svg")) && Files.exists(path.resolve("curves.svg")));
        assertTrue(Files.readString(path.resolve("sweep.csv")).startsWith("rank,run,loss.name,optimizer.lr,status"));
    }

    @Test
    void moreThanTwoSweptValuesGiveParallelCoordinates() throws IOException {
        Map<String, List<Object>> grid = new LinkedHashMap<>();
        grid.put("loss.name", List.of("logistic", "hinge"));
        grid.put("optimizer.lr", List.of(0.1, 0.01));
        grid.put("train.batch-size", List.of(16, 64));
        String html = write(grid);
        assertEquals(8, html.split("<polyline ").length - 1, "one line per run");
        assertTrue(html.contains("stroke-dasharray"), "the failed run is dashed");
        assertTrue(html.contains("stroke-width=\"3.5\""), "the best run is drawn thickest");
        for (String axis : List.of("loss.name", "optimizer.lr", "train.batch-size", "test.accuracy")) {
            assertTrue(html.contains(">" + axis + "</text>"), "an axis for " + axis);
        }
    }

    @Test
    void oneSweptValueIsASingleRow() throws IOException {
        String html = write(Map.of("optimizer.lr", List.of(0.1, 0.01, 0.001)));
        assertTrue(html.contains("<svg class=\"chart\" id=\"grid\""), html);
        assertTrue(html.contains(">0.6100</text>"), html);
    }
}
