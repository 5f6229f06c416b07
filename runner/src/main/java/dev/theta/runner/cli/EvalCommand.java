package dev.theta.runner.cli;

import dev.theta.api.spi.Dataset;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.model.OnnxModel;
import dev.theta.core.model.Softmax;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code theta eval MODEL.onnx CONFIG}: the metrics of an exported model on a config's test split. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate an exported model (ONNX Runtime) on a config's test split.")
public final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A model.onnx written by theta.")
    Path model;

    @Parameters(index = "1", paramLabel = "CONFIG", description = "The config whose test split to evaluate on.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config value (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--batch", paramLabel = "N", description = "Examples per ONNX Runtime run (default: as many as hold"
            + " 65,536 feature elements); fewer hold less memory at once.")
    Integer batch;

    @Override
    public Integer call() {
        Dataset test = ConfigData.rawSplits(config, overrides).test();
        if (!test.spec().isClassification()) {
            throw new UserError(ExitCode.DATA, "theta eval reports classification metrics; " + test.source() + " has real-valued targets");
        }
        if (test.size() == 0) {
            throw new UserError(ExitCode.DATA, test.source() + " has no examples: theta eval needs a test split to score");
        }
        if (batch != null && batch < 1) {
            throw new UserError(ExitCode.CONFIG, "--batch " + batch + ": give at least 1 example per run");
        }
        int positions = test.spec().positions();
        Tally tally = new Tally(test);
        try (OnnxModel m = OnnxModel.open(model)) {
            // Run by run: the metrics are sums, so no split's scores are ever held whole.
            m.predict(test, batch != null ? batch : OnnxModel.defaultChunk(test), (from, part) ->
                    tally.add(from * positions, positions > 1 ? perPosition(part, positions) : part));
        }
        long[][] confusion = tally.confusion;
        int k = confusion.length;
        long correct = 0;
        for (int c = 0; c < k; c++) {
            correct += confusion[c][c];
        }
        if (positions > 1) {
            System.out.printf(Locale.ROOT, "windows %d of %d positions, a prediction at each%n", test.size(), positions);
        }
        System.out.printf(Locale.ROOT, "%s %d%naccuracy %.4f%nlog-loss %.4f%n", positions > 1 ? "predictions" : "examples",
                tally.n, (double) correct / tally.n, tally.nll / tally.n);
        // Test data may lack the last classes: the model's classes are the rows and columns either way.
        List<String> names = new ArrayList<>(test.spec().classNames());
        for (int c = names.size(); c < k; c++) {
            names.add(Integer.toString(c));
        }
        System.out.println("class  precision  recall  f1");
        for (int c = 0; c < k; c++) {
            long predicted = 0;
            long actual = 0;
            for (int j = 0; j < k; j++) {
                predicted += confusion[j][c];
                actual += confusion[c][j];
            }
            double precision = predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
            double recall = actual == 0 ? 0 : (double) confusion[c][c] / actual;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            System.out.printf(Locale.ROOT, "%-5s  %9.4f  %6.4f  %.4f%n", names.get(c), precision, recall, f1);
        }
        return 0;
    }

    /** The confusion matrix and summed log-loss over the predictions so far; the first run decides the classes. */
    private final class Tally {
        private final Dataset test;
        private final long[] y;
        long[][] confusion;
        double nll;
        long n;

        Tally(Dataset test) {
            this.test = test;
            this.y = test.targets().longs();
        }

        /** Predictions {@code p} of the targets from {@code offset} on. */
        void add(int offset, OnnxModel.Predictions p) {
            if (!p.hasLabels()) {
                throw new UserError(ExitCode.DATA, model + " makes no labels (its loss has none: regression or contrastive);"
                        + " use theta predict for its scores");
            }
            int w = p.width();
            if (confusion == null) {
                int modelClasses = w == 1 ? 2 : w;
                if (test.spec().classes() > modelClasses) {
                    throw new UserError(ExitCode.DATA, model + " scores " + modelClasses + " classes, but " + test.source() + " has "
                            + test.spec().classes() + " (labels up to " + (test.spec().classes() - 1) + "): evaluate it on data"
                            + " of the classes it was trained on, or train a model on this data");
                }
                confusion = new long[modelClasses][modelClasses];
            }
            for (int i = 0; i < p.n(); i++) {
                long target = y[offset + i];
                confusion[(int) target][(int) p.labels()[i]]++;
                double prob = w == 1 ? (target == 1 ? p.probabilities()[i] : 1 - p.probabilities()[i]) : p.probabilities()[i * w + (int) target];
                nll -= Math.log(Math.max(prob, 1e-30));
            }
            n += p.n();
        }
    }

    /**
     * A sequence model's export has scores only ([N, T, k]: a label per window does not exist); each position is a
     * prediction of its own, its probabilities the softmax of its k scores (in double, as the loss computes them) and
     * its label the most probable class, the first of ties. The probabilities overwrite the scores (tiny
     * Shakespeare's test split: 3.6 million positions of 65 scores, 0.9 GB), which eval reads no further.
     */
    private OnnxModel.Predictions perPosition(OnnxModel.Predictions p, int positions) {
        int n = p.n() * positions;
        float[] scores = p.scores();
        int k = scores.length / n;
        if (p.hasLabels() || k < 2 || scores.length != (long) n * k) {
            throw new UserError(ExitCode.DATA, model + " gives " + (p.hasLabels() ? "a label per example" : scores.length / p.n()
                    + " scores per example") + ", but the test data has " + positions + " targets per example: a sequence"
                    + " model's scores are [N, " + positions + ", classes]; evaluate a model trained on data like this");
        }
        long[] labels = new long[n];
        double[] exps = new double[k];
        for (int i = 0; i < n; i++) {
            int row = i * k;
            int best = 0;
            for (int c = 1; c < k; c++) {
                best = scores[row + c] > scores[row + best] ? c : best;
            }
            labels[i] = best;
            Softmax.into(scores, row, k, exps, scores, row);
        }
        return new OnnxModel.Predictions(n, null, scores, labels);
    }
}
