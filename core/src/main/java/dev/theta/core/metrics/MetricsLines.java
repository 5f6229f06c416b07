package dev.theta.core.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.theta.core.training.EpochMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of {@code metrics.jsonl} per epoch and split. The first keys (epoch, split, loss, accuracy, examples,
 * seconds) are the original format; timings are exactly {@code seconds} and {@code examples_per_second}, so that
 * dropping those two keys leaves what a seeded run reproduces bit for bit. NaN is written as null.
 */
public final class MetricsLines {
    /** The keys that hold wall-clock timings. */
    public static final List<String> TIMING_KEYS = List.of("seconds", "examples_per_second");

    private MetricsLines() {
    }

    public static Map<String, Object> toLine(EpochMetrics m) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("epoch", m.epoch());
        line.put("split", m.split());
        line.put("loss", number(m.loss()));
        line.put("accuracy", number(m.accuracy()));
        line.put("examples", m.examples());
        line.put("seconds", m.seconds());
        line.put("examples_per_second", number(m.examplesPerSecond()));
        ClassificationReport c = m.classification();
        if (c != null) {
            line.put("macro_f1", number(c.macroF1()));
            line.put("roc_auc", number(c.rocAuc()));
            List<Map<String, Object>> classes = new ArrayList<>();
            for (ClassificationReport.ClassMetrics cm : c.classes()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("class", cm.name());
                one.put("precision", cm.precision());
                one.put("recall", cm.recall());
                one.put("f1", cm.f1());
                one.put("support", cm.support());
                classes.add(one);
            }
            line.put("classes", classes);
            line.put("confusion", c.confusion());
            if (c.curves() != null) {
                line.put("roc", c.curves().roc());
                line.put("precision_recall", c.curves().precisionRecall());
            }
        }
        return line;
    }

    /** Reads back a line written by {@link #toLine}. */
    public static EpochMetrics fromLine(JsonNode n) {
        ClassificationReport c = null;
        if (n.has("confusion")) {
            JsonNode rows = n.get("confusion");
            long[][] confusion = new long[rows.size()][];
            for (int i = 0; i < confusion.length; i++) {
                confusion[i] = new long[rows.get(i).size()];
                for (int j = 0; j < confusion[i].length; j++) {
                    confusion[i][j] = rows.get(i).get(j).asLong();
                }
            }
            List<String> names = new ArrayList<>();
            n.get("classes").forEach(cm -> names.add(cm.get("class").asText()));
            BinaryCurves curves = n.has("roc") ? new BinaryCurves(points(n.get("roc")), points(n.get("precision_recall"))) : null;
            c = ClassificationReport.of(names, confusion, number(n.get("roc_auc")), curves);
        }
        return new EpochMetrics(n.get("epoch").asInt(), n.get("split").asText(), number(n.get("loss")),
                number(n.get("accuracy")), n.get("examples").asLong(), n.get("seconds").asDouble(), c);
    }

    private static List<double[]> points(JsonNode array) {
        List<double[]> points = new ArrayList<>();
        array.forEach(p -> points.add(new double[] {p.get(0).asDouble(), p.get(1).asDouble()}));
        return List.copyOf(points);
    }

    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double number(JsonNode n) {
        return n == null || n.isNull() ? Double.NaN : n.asDouble();
    }
}
