package dev.theta.examples;

import dev.theta.api.spi.DataSpec;
import dev.theta.api.tensor.Shape;
import dev.theta.core.metrics.ClassificationReport;
import dev.theta.core.model.Preprocessing;
import dev.theta.core.run.RunDirectory;
import dev.theta.core.training.EpochMetrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A synthetic but plausible run directory, written with the runner's own writers: {@code config.yaml} and
 * {@code data-spec.json} ({@link RunDirectory#create}), {@code metrics.jsonl} with train, validation and test lines
 * whose evaluated lines carry confusion matrices, and {@code steps.csv} in the per-step format (step,epoch,loss,lr)
 * with a warm-up and cosine learning-rate schedule. One confusion is planted: it is the run's most frequent.
 */
record ReportFixture(String name, List<String> classes, int epochs, int stepsPerEpoch, int supportPerClass,
                     String plantedTrue, String plantedPredicted, int plantedCount) {

    static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot");
    static final List<String> OFFICE_HOME = List.of("Alarm_Clock", "Backpack", "Batteries", "Bed", "Bike", "Bottle", "Bucket",
            "Calculator", "Calendar", "Candles", "Chair", "Clipboards", "Computer", "Couch", "Curtains", "Desk_Lamp", "Drill",
            "Eraser", "Exit_Sign", "Fan", "File_Cabinet", "Flipflops", "Flowers", "Folder", "Fork", "Glasses", "Hammer", "Helmet",
            "Kettle", "Keyboard", "Knives", "Lamp_Shade", "Laptop", "Marker", "Monitor", "Mop", "Mouse", "Mug", "Notebook", "Oven",
            "Pan", "Paper_Clip", "Pen", "Pencil", "Postit_Notes", "Printer", "Push_Pin", "Radio", "Refrigerator", "Ruler",
            "Scissors", "Screwdriver", "Shelf", "Sink", "Sneakers", "Soda", "Speaker", "Spoon", "TV", "Table", "Telephone",
            "ToothBrush", "Toys", "Trash_Can", "Webcam");

    static ReportFixture tenClasses() {
        return new ReportFixture("fashion-mlp", FASHION, 12, 110, 100, "Shirt", "T-shirt/top", 37);
    }

    static ReportFixture sixtyFiveClasses() {
        return new ReportFixture("office-home-linear", OFFICE_HOME, 15, 300, 30, "Pen", "Pencil", 14);
    }

    String planted() {
        return "true " + plantedTrue + " predicted as " + plantedPredicted + ": " + plantedCount + " times";
    }

    /** Writes the run directory into {@code path} and returns its history, as a finished run would. */
    List<EpochMetrics> write(Path path) throws IOException {
        RunDirectory dir = new RunDirectory(path, false);
        dir.create(config(), DataSpec.classification(Shape.of(28, 28), classes.size(), classes), Preprocessing.NONE,
                java.nio.file.Path.of("."));
        Random random = new Random(7);
        List<EpochMetrics> history = new ArrayList<>();
        StringBuilder steps = new StringBuilder("step,epoch,loss,lr\n");
        int step = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double sum = 0;
            for (int s = 0; s < stepsPerEpoch; s++) {
                step++;
                double loss = curve(step / (double) (epochs * stepsPerEpoch)) * (1 + 0.18 * random.nextGaussian());
                sum += loss;
                steps.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.8f%n", step, epoch, loss, lr(step)));
            }
            double progress = epoch / (double) epochs;
            long trainExamples = (long) stepsPerEpoch * 64;
            history.add(new EpochMetrics(epoch, "train", sum / stepsPerEpoch, accuracy(progress) + 0.03, trainExamples, 4.2, null));
            history.add(evaluated(epoch, "validation", progress, random, epoch == epochs));
            history.add(evaluated(epoch, "test", progress, random, epoch == epochs));
        }
        history.forEach(dir::appendMetrics);
        dir.writeAtomically("steps.csv", steps.toString().getBytes(StandardCharsets.UTF_8));
        return history;
    }

    private Map<String, Object> config() {
        return ordered("name", name, "seed", 0,
                "data", ordered("train", ordered("name", "idx", "path", "data/" + name + "/train"), "test-fraction", 0.2,
                        "validation-fraction", 0.1, "standardize", false),
                "hypothesis", ordered("name", "mlp", "hidden", List.of(256, 128), "activation", "relu"),
                "loss", ordered("name", "cross-entropy", "label-smoothing", 0.0),
                "optimizer", ordered("name", "adam", "lr", 0.001, "beta1", 0.9, "beta2", 0.999, "weight-decay", 0.0),
                "schedule", ordered("name", "cosine", "unit", "step", "warmup", epochs * stepsPerEpoch / 20),
                "train", ordered("epochs", epochs, "batch-size", 64, "shuffle", true),
                "backend", ordered("name", "cpu", "threads", 2));
    }

    /** A map that keeps its keys in order, as a resolved config does. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private double curve(double progress) {
        return 0.35 + 1.9 * Math.exp(-5 * progress) + 0.4 * Math.log(classes.size()) * Math.exp(-40 * progress);
    }

    private double accuracy(double progress) {
        return 0.88 - 0.5 * Math.exp(-4 * progress);
    }

    private double lr(int step) {
        int total = epochs * stepsPerEpoch;
        int warmup = total / 20;
        return step <= warmup ? 1e-3 * step / warmup : 1e-3 * 0.5 * (1 + Math.cos(Math.PI * (step - warmup) / (total - warmup)));
    }

    private EpochMetrics evaluated(int epoch, String split, double progress, Random random, boolean last) {
        long[][] m = confusion(accuracy(progress), random, last);
        long correct = 0;
        long total = 0;
        for (int t = 0; t < m.length; t++) {
            for (int p = 0; p < m.length; p++) {
                total += m[t][p];
                correct += t == p ? m[t][p] : 0;
            }
        }
        double loss = curve(progress) * (split.equals("test") ? 1.08 : 1.05);
        return new EpochMetrics(epoch, split, loss, (double) correct / total, total, 0.6,
                ClassificationReport.of(classes, m, Double.NaN));
    }

    /** Each class's errors spread over a few neighbours; the planted confusion added in the last epoch. */
    private long[][] confusion(double accuracy, Random random, boolean planted) {
        int k = classes.size();
        long[][] m = new long[k][k];
        int t0 = classes.indexOf(plantedTrue);
        int p0 = classes.indexOf(plantedPredicted);
        for (int t = 0; t < k; t++) {
            int errors = (int) Math.round(supportPerClass * (1 - accuracy) * (0.5 + random.nextDouble()));
            if (planted && t == t0) {
                errors = Math.max(0, errors - plantedCount);
                m[t][p0] += plantedCount;
            }
            for (int e = 0; e < errors; e++) {
                int p = Math.floorMod(t + 1 + (int) Math.abs(random.nextGaussian() * Math.min(4, k / 3.0)), k);
                m[t][p == t ? (t + 1) % k : p]++;
            }
            m[t][t] = supportPerClass - rowSum(m[t]);
        }
        return m;
    }

    private static long rowSum(long[] row) {
        long s = 0;
        for (long v : row) {
            s += v;
        }
        return s;
    }
}
