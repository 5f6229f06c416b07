package dev.theta.runner.cli;

import dev.theta.api.spi.Dataset;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.model.OnnxModel;
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

    @Override
    public Integer call() {
        Dataset test = ConfigData.rawSplits(config, overrides).test();
        if (!test.spec().isClassification()) {
            throw new UserError(ExitCode.DATA, "theta eval reports classification metrics; " + test.source() + " has real-valued targets");
        }
        try (OnnxModel m = OnnxModel.open(model)) {
            OnnxModel.Predictions p = m.predict(test);
            int positions = test.spec().positions();
            if (!p.hasLabels() && positions > 1) {
                p = perPosition(p, positions);
            }
            if (!p.hasLabels()) {
                throw new UserError(ExitCode.DATA, model + " makes no labels (its loss has none: regression or contrastive);"
                        + " use theta predict for its scores");
            }
            long[] y = test.targets().longs();
            int w = p.width();
            int modelClasses = w == 1 ? 2 : w;
            if (test.spec().classes() > modelClasses) {
                throw new UserError(ExitCode.DATA, model + " scores " + modelClasses + " classes, but " + test.source() + " has "
                        + test.spec().classes() + " (labels up to " + (test.spec().classes() - 1) + "): evaluate it on data of the"
                        + " classes it was trained on, or train a model on this data");
            }
            // Test data may lack the last classes: the model's classes are the rows and columns either way.
            int k = modelClasses;
            List<String> names = new ArrayList<>(test.spec().classNames());
            for (int c = names.size(); c < k; c++) {
                names.add(Integer.toString(c));
            }
            long[][] confusion = new long[k][k];
            double nll = 0;
            for (int i = 0; i < p.n(); i++) {
                confusion[(int) y[i]][(int) p.labels()[i]]++;
                double prob = w == 1 ? (y[i] == 1 ? p.probabilities()[i] : 1 - p.probabilities()[i]) : p.probabilities()[i * w + (int) y[i]];
                nll -= Math.log(Math.max(prob, 1e-30));
            }
            long correct = 0;
            for (int c = 0; c < k; c++) {
                correct += confusion[c][c];
            }
            if (positions > 1) {
                System.out.printf(Locale.ROOT, "windows %d of %d positions, a prediction at each%n", test.size(), positions);
            }
            System.out.printf(Locale.ROOT, "%s %d%naccuracy %.4f%nlog-loss %.4f%n", positions > 1 ? "predictions" : "examples",
                    p.n(), (double) correct / p.n(), nll / p.n());
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
        }
        return 0;
    }

    /**
     * A sequence model's export has scores only ([N, T, k]: a label per window does not exist); each position is a
     * prediction of its own, its probabilities the softmax of its k scores (in double, as the loss computes them) and
     * its label the most probable class, the first of ties. The probabilities overwrite the scores (tiny
     * Shakespeare's test split: 3.6 million positions of 65 scores, 0.9 GB), which eval reads no further.
     */
    static OnnxModel.Predictions perPosition(OnnxModel.Predictions p, int positions) {
        int n = p.n() * positions;
        float[] scores = p.scores();
        int k = scores.length / n;
        float[] probabilities = scores;
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            int row = i * k;
            int best = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (scores[row + c] > max) {
                    max = scores[row + c];
                    best = c;
                }
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(scores[row + c] - max);
            }
            for (int c = 0; c < k; c++) {
                probabilities[row + c] = (float) (Math.exp(scores[row + c] - max) / sum);
            }
            labels[i] = best;
        }
        return new OnnxModel.Predictions(n, null, probabilities, labels);
    }
}
