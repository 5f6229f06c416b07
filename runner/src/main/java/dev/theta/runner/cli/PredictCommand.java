package dev.theta.runner.cli;

import dev.theta.api.spi.Dataset;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.model.OnnxModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code theta predict MODEL.onnx CONFIG}: runs an exported model in ONNX Runtime and writes its predictions. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run an exported model (ONNX Runtime) on a config's data and write predictions as CSV.")
public final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A model.onnx written by theta.")
    Path model;

    @Parameters(index = "1", paramLabel = "CONFIG", description = "A config whose data to predict (its test split unless --split train).")
    Path config;

    @Option(names = "--split", defaultValue = "test", description = "Which split of the config: test (default) or train.")
    String split;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config value (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the CSV (default: standard output).")
    Path out;

    @Option(names = "--overwrite", description = "Replace the file --out names if it exists, instead of refusing.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        if (out != null && Files.isDirectory(out)) {
            throw new UserError(ExitCode.CONFIG, "--out " + out + " is a directory; name the CSV file to write");
        }
        if (out != null && Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !overwrite) {
            throw new UserError(ExitCode.CONFIG, "--out " + out + " already exists; choose another file or pass --overwrite to replace it");
        }
        if (!split.equals("test") && !split.equals("train")) {
            throw new UserError(ExitCode.CONFIG, "--split " + split + ": expected test or train");
        }
        var data = ConfigData.rawSplits(config, overrides);
        Dataset d = split.equals("test") ? data.test() : data.train();
        try (OnnxModel m = OnnxModel.open(model)) {
            OnnxModel.Predictions p = m.predict(d);
            if (out == null) {
                write(p, d, classNames(m), System.out);
            } else {
                Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
                try (PrintStream s = new PrintStream(Files.newOutputStream(tmp), false, java.nio.charset.StandardCharsets.UTF_8)) {
                    write(p, d, classNames(m), s);
                }
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                System.err.println("wrote " + d.size() + " predictions to " + out);
            }
        }
        return 0;
    }

    /** The class names the model's metadata holds (empty when it has none). */
    private static List<String> classNames(OnnxModel m) {
        String json = m.metadata().get("theta.classes");
        try {
            return json == null ? List.of() : List.of(new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, String[].class));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * One row per example: its index, the predicted label and the probabilities (or the scores, for models without
     * labels), and the target when known.
     */
    private static void write(OnnxModel.Predictions p, Dataset d, List<String> classNames, PrintStream s) {
        int w = p.width();
        boolean names = p.hasLabels() && !classNames.isEmpty();
        StringBuilder header = new StringBuilder(p.hasLabels() ? "row,label" : "row").append(names ? ",class" : "");
        for (int j = 0; j < w; j++) {
            header.append(p.hasLabels() ? ",p" : ",score").append(p.hasLabels() && w == 1 ? 1 : j);
        }
        // One target per row: a class per position (targets [T]) has no single target to print.
        boolean targets = d.spec().isClassification() && d.spec().positions() == 1;
        s.println(header + (targets ? ",target" : ""));
        long[] y = targets ? d.targets().longs() : null;
        for (int i = 0; i < p.n(); i++) {
            StringBuilder row = new StringBuilder().append(i);
            if (p.hasLabels()) {
                row.append(',').append(p.labels()[i]);
            }
            if (names) {
                row.append(',').append(classNames.get((int) p.labels()[i]));
            }
            float[] values = p.hasLabels() ? p.probabilities() : p.scores();
            for (int j = 0; j < w; j++) {
                row.append(',').append(String.format(Locale.ROOT, "%.6g", values[i * w + j]));
            }
            if (targets) {
                row.append(',').append(y[i]);
            }
            s.println(row);
        }
    }
}
