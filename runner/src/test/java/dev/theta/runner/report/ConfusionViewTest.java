package dev.theta.runner.report;

import dev.theta.core.metrics.ClassificationReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfusionViewTest {
    private static final ClassificationReport THREE = ClassificationReport.of(List.of("cat", "dog", "fox"),
            new long[][] {{50, 8, 2}, {4, 40, 0}, {0, 8, 12}}, Double.NaN);

    @Test
    void topConfusionsAreMostFrequentFirstThenLargestShare() {
        List<ConfusionView.Confusion> top = ConfusionView.top(THREE, 10);
        // cat->dog and fox->dog are 8 each; fox->dog is 40% of fox, cat->dog 13% of cat.
        assertEquals("true fox predicted as dog: 8 times", top.get(0).sentence());
        assertEquals("true cat predicted as dog: 8 times", top.get(1).sentence());
        assertEquals(List.of("dog", "cat"), top.subList(2, 4).stream().map(ConfusionView.Confusion::actual).toList());
        assertEquals(4, top.size(), "zero cells are no confusions");
        assertEquals(2, ConfusionView.top(THREE, 2).size());
        assertEquals(0.4, top.get(0).share(), 1e-12);
    }

    @Test
    void aPerfectClassifierHasNoConfusionTable() {
        ClassificationReport perfect = ClassificationReport.of(List.of("a", "b"), new long[][] {{3, 0}, {0, 5}}, Double.NaN);
        assertEquals("<p>No confusions: every example was classified correctly.</p>\n", ConfusionView.table(perfect));
    }

    @Test
    void numbersAreWrittenOnlyWhereTheyFit() {
        double ten = HeatMap.cellSize(10);
        double many = HeatMap.cellSize(65);
        assertTrue(HeatMap.fits("1000", ten), "four digits fit at 10 classes");
        assertTrue(HeatMap.fits("14", many), "two digits fit at 65 classes");
        assertFalse(HeatMap.fits("100", many), "three digits do not fit at 65 classes");
        String svg = ConfusionView.heatMap("confusion", "title", THREE);
        assertTrue(svg.contains(">50</text>") && svg.contains(">8</text>"), svg);
        assertTrue(svg.contains("<title>true fox, predicted dog: 8 of 20 (40.0%)</title>"), "every cell names its count on hover");
        assertEquals(7 + 3, svg.split("<rect x=").length - 1, "one rectangle per non-zero cell, plus the grid's and the two scales'");
    }
}
