package dev.theta.runner.report;

import dev.theta.core.ExitCode;
import dev.theta.core.UserError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code steps.csv} in a run directory: one row per optimizer step with the header {@code step,epoch,loss,lr}
 * (loss: the mean loss of that step's minibatch; lr: the learning rate used). Columns are found by name, so
 * columns added later are ignored; an empty, NaN or infinite loss (a diverged step) is kept as NaN.
 */
final class StepsFile {
    static final String NAME = "steps.csv";
    static final List<String> COLUMNS = List.of("step", "epoch", "loss", "lr");
    /** Charts draw at most this many buckets of steps; a longer run is decimated (see {@link #decimate}). */
    static final int MAX_BUCKETS = 800;

    /** One optimizer step. */
    record Step(long step, int epoch, double loss, double lr) {
    }

    private StepsFile() {
    }

    /** The steps in {@code file}; a malformed file is an internal error naming its line, since theta wrote it. */
    static List<Step> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw malformed(file, 1, "is empty; expected the header " + String.join(",", COLUMNS));
        }
        List<String> header = Arrays.stream(lines.get(0).strip().split(",", -1)).map(String::strip).toList();
        int[] at = new int[COLUMNS.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = header.indexOf(COLUMNS.get(i));
            if (at[i] < 0) {
                throw malformed(file, 1, "header " + header + " lacks column '" + COLUMNS.get(i) + "'; expected " + String.join(",", COLUMNS));
            }
        }
        List<Step> steps = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) {
                continue;
            }
            String[] f = lines.get(n).split(",", -1);
            if (f.length != header.size()) {
                throw malformed(file, n + 1, "has " + f.length + " fields, the header " + header.size());
            }
            try {
                steps.add(new Step(Long.parseLong(f[at[0]].strip()), Integer.parseInt(f[at[1]].strip()),
                        number(f[at[2]]), number(f[at[3]])));
            } catch (NumberFormatException e) {
                throw malformed(file, n + 1, "holds a value that is not a number (" + e.getMessage() + ")");
            }
        }
        return steps;
    }

    private static double number(String field) {
        String s = field.strip();
        if (s.isEmpty()) {
            return Double.NaN;
        }
        double v = Double.parseDouble(s);
        return Double.isFinite(v) ? v : Double.NaN;
    }

    private static UserError malformed(Path file, int line, String what) {
        return new UserError(ExitCode.INTERNAL, file + ":" + line + ": " + what);
    }

    /** How many steps the smoothing of {@code n} steps averages over: a hundredth of the run, at least 2. */
    static double timeConstant(int n) {
        return Math.max(2, n / 100.0);
    }

    /**
     * The exponential moving average of the points' y with time constant {@code tau} steps, bias-corrected (as
     * Adam's moments) so that the first steps are not pulled towards zero; NaN values are skipped.
     */
    static List<double[]> smooth(List<double[]> points, double tau) {
        double beta = 1 - 1 / tau;
        double average = 0;
        double weight = 1;
        List<double[]> out = new ArrayList<>(points.size());
        for (double[] p : points) {
            if (!Double.isFinite(p[1])) {
                continue;
            }
            average = beta * average + (1 - beta) * p[1];
            weight *= beta;
            out.add(new double[] {p[0], average / (1 - weight)});
        }
        return out;
    }

    /**
     * At most {@link #MAX_BUCKETS} buckets of points, each kept as its smallest and its largest y in step order, so
     * that a long run's chart keeps the envelope of its raw values without drawing every step.
     */
    static List<double[]> decimate(List<double[]> points) {
        if (points.size() <= 2 * MAX_BUCKETS) {
            return points;
        }
        int size = (points.size() + MAX_BUCKETS - 1) / MAX_BUCKETS;
        List<double[]> out = new ArrayList<>();
        for (int start = 0; start < points.size(); start += size) {
            List<double[]> bucket = points.subList(start, Math.min(points.size(), start + size)).stream()
                    .filter(p -> Double.isFinite(p[1])).toList();
            if (bucket.isEmpty()) {
                continue;
            }
            double[] low = bucket.get(0);
            double[] high = bucket.get(0);
            for (double[] p : bucket) {
                low = p[1] < low[1] ? p : low;
                high = p[1] > high[1] ? p : high;
            }
            out.add(low[0] <= high[0] ? low : high);
            if (low != high) {
                out.add(low[0] <= high[0] ? high : low);
            }
        }
        return out;
    }
}
