package dev.theta.core.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * How a classifier did on one split: the confusion matrix (rows: true class, columns: predicted class), precision,
 * recall and F1 of every class, their macro average, and ROC-AUC for one-score models (NaN otherwise) with their
 * ROC and precision-recall curves (null otherwise).
 * A class never predicted has precision 0, a class absent from the split recall 0 (as scikit-learn's
 * {@code zero_division=0}).
 */
public record ClassificationReport(List<String> classNames, long[][] confusion, List<ClassMetrics> classes,
                                   double macroF1, double rocAuc, BinaryCurves curves) {

    public ClassificationReport(List<String> classNames, long[][] confusion, List<ClassMetrics> classes, double macroF1, double rocAuc) {
        this(classNames, confusion, classes, macroF1, rocAuc, null);
    }

    /** Precision, recall and F1 of one class, and how many examples of it the split holds. */
    public record ClassMetrics(String name, double precision, double recall, double f1, long support) {
    }

    public static ClassificationReport of(List<String> classNames, long[][] confusion, double rocAuc) {
        return of(classNames, confusion, rocAuc, null);
    }

    public static ClassificationReport of(List<String> classNames, long[][] confusion, double rocAuc, BinaryCurves curves) {
        int k = confusion.length;
        List<ClassMetrics> classes = new ArrayList<>();
        double f1Sum = 0;
        for (int c = 0; c < k; c++) {
            long truePositive = confusion[c][c];
            long predicted = 0;
            long actual = 0;
            for (int j = 0; j < k; j++) {
                predicted += confusion[j][c];
                actual += confusion[c][j];
            }
            double precision = predicted == 0 ? 0 : (double) truePositive / predicted;
            double recall = actual == 0 ? 0 : (double) truePositive / actual;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            f1Sum += f1;
            classes.add(new ClassMetrics(c < classNames.size() ? classNames.get(c) : Integer.toString(c), precision, recall, f1, actual));
        }
        return new ClassificationReport(List.copyOf(names(classNames, k)), confusion, List.copyOf(classes), f1Sum / k, rocAuc, curves);
    }

    private static List<String> names(List<String> given, int k) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            names.add(c < given.size() ? given.get(c) : Integer.toString(c));
        }
        return names;
    }
}
