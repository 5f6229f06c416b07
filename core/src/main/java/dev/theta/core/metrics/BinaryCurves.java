package dev.theta.core.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The ROC curve (false-positive rate, true-positive rate) and the precision-recall curve (recall, precision) of one
 * score per example against labels 1 (positive) and 0, one point per distinct score taken as the threshold
 * (score ≥ threshold is positive), as scikit-learn's {@code roc_curve} and {@code precision_recall_curve} compute
 * them; ROC starts at (0, 0). Long curves keep {@code maxPoints} points spread evenly over the thresholds, the last
 * always kept, so a report stays small.
 */
public record BinaryCurves(List<double[]> roc, List<double[]> precisionRecall) {
    public static final int MAX_POINTS = 100;

    /** The curves, or null when one of the two classes is absent (neither curve is defined then). */
    public static BinaryCurves of(float[] scores, long[] labels, int count, int maxPoints) {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        long positives = 0;
        for (int i = 0; i < count; i++) {
            positives += labels[i] == 1 ? 1 : 0;
        }
        long negatives = count - positives;
        if (positives == 0 || negatives == 0) {
            return null;
        }
        List<double[]> roc = new ArrayList<>(List.of(new double[] {0, 0}));
        List<double[]> pr = new ArrayList<>();
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < count; i++) {
            if (labels[order[i]] == 1) {
                tp++;
            } else {
                fp++;
            }
            // A threshold lies between distinct scores only: ties move together.
            if (i + 1 < count && scores[order[i + 1]] == scores[order[i]]) {
                continue;
            }
            roc.add(new double[] {(double) fp / negatives, (double) tp / positives});
            pr.add(new double[] {(double) tp / positives, (double) tp / (tp + fp)});
        }
        return new BinaryCurves(thin(roc, maxPoints), thin(pr, maxPoints));
    }

    private static List<double[]> thin(List<double[]> points, int maxPoints) {
        if (points.size() <= maxPoints) {
            return List.copyOf(points);
        }
        List<double[]> kept = new ArrayList<>();
        for (int i = 0; i < maxPoints - 1; i++) {
            kept.add(points.get((int) ((long) i * (points.size() - 1) / (maxPoints - 1))));
        }
        kept.add(points.get(points.size() - 1));
        return List.copyOf(kept);
    }
}
