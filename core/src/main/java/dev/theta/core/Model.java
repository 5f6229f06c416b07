package dev.theta.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.core.model.OnnxModel;
import dev.theta.core.model.Softmax;
import dev.theta.core.training.EpochMetrics;
import dev.theta.core.training.Scoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A trained model: predictions for rows of features, class names, ONNX export and checkpoints. It comes from
 * {@link Experiment#train} or {@link #load} (a {@code model.onnx} or a run directory). Models hold compiled
 * programs or an ONNX Runtime session: close them when done.
 */
public final class Model implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Predictor predictor;
    private final int[] exampleShape;
    private final int exampleSize;
    private final Decision decision;
    private final int positions;
    private final List<String> classNames;
    private final List<EpochMetrics> history;
    private final int selectedEpoch;
    private final Saved saved;

    /** How a model writes itself: as ONNX, and as a run directory that {@link #load} reads back. */
    interface Saved {
        void exportOnnx(Path file) throws IOException;

        void saveCheckpoint(Path directory) throws IOException;
    }

    Model(Predictor predictor, DataSpec spec, Decision decision, List<EpochMetrics> history, int selectedEpoch, Saved saved) {
        this(predictor, spec.featureShape().dims(), decision, spec.positions(), spec.classNames(), history, selectedEpoch, saved);
    }

    private Model(Predictor predictor, int[] exampleShape, Decision decision, int positions, List<String> classNames,
                  List<EpochMetrics> history, int selectedEpoch, Saved saved) {
        this.predictor = predictor;
        this.exampleShape = exampleShape.clone();
        this.exampleSize = IntStream.of(exampleShape).reduce(1, (a, b) -> a * b);
        this.decision = decision;
        this.positions = positions;
        this.classNames = List.copyOf(classNames);
        this.history = List.copyOf(history);
        this.selectedEpoch = selectedEpoch;
        this.saved = saved;
    }

    /**
     * Loads {@code path}: a {@code model.onnx} written by theta (run by ONNX Runtime), or a run directory (its
     * {@code parameters.npz}, run by its config's backend).
     */
    public static Model load(Path path) {
        try {
            if (Files.isDirectory(path)) {
                return StoredRun.load(path);
            }
            OnnxModel onnx = OnnxModel.open(path);
            List<String> names = classNames(onnx.metadata().get("theta.classes"));
            OnnxPredictor predictor = new OnnxPredictor(onnx);
            Decision decision = !onnx.hasLabels() ? Decision.NONE
                    : scoresPerExample(predictor, onnx.longestExampleShape()) == 1 ? Decision.SIGN : Decision.ARGMAX;
            return new Model(predictor, onnx.longestExampleShape(), decision, 1, names, List.of(), 0, new Saved() {
                @Override
                public void exportOnnx(Path file) throws IOException {
                    Files.copy(path, file, StandardCopyOption.REPLACE_EXISTING);
                }

                @Override
                public void saveCheckpoint(Path directory) {
                    throw new ThetaException.Config(path + " holds only the exported model; load its run directory to save a checkpoint", null);
                }
            });
        } catch (IOException e) {
            throw new ThetaException.Data(path + ": cannot read the run directory: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw ThetaException.of(e);
        }
    }

    private static int scoresPerExample(Predictor predictor, int[] exampleShape) {
        return predictor.scores(new float[IntStream.of(exampleShape).reduce(1, (a, b) -> a * b)], 1).length;
    }

    private static List<String> classNames(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return List.of(JSON.readValue(json, String[].class));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The class names, in index order (empty for regression). */
    public List<String> classNames() {
        return classNames;
    }

    /** The predicted class index of one example. */
    public int predict(float[] features) {
        return predict(new float[][] {features})[0];
    }

    /** The predicted class index of each row. */
    public int[] predict(float[][] features) {
        requireLabels();
        float[] scores = scores(features);
        int k = scores.length / features.length;
        int[] labels = new int[features.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = Scoring.predict(decision, scores, i, k);
        }
        return labels;
    }

    /** The name of the predicted class of one example. */
    public String predictClassName(float[] features) {
        return classNames.get(predict(features));
    }

    /**
     * Class probabilities per row: the softmax of the scores (k classes), or for a one-score model [1 - p, p] with
     * p the sigmoid of the score.
     */
    public float[][] predictProbabilities(float[][] features) {
        requireLabels();
        float[] scores = scores(features);
        int k = scores.length / features.length;
        float[][] p = new float[features.length][];
        for (int i = 0; i < features.length; i++) {
            if (decision == Decision.SIGN) {
                float one = (float) (1 / (1 + Math.exp(-scores[i])));
                p[i] = new float[] {1 - one, one};
            } else {
                p[i] = Softmax.of(scores, i * k, k);
            }
        }
        return p;
    }

    /** The raw scores h(x) per row (k per example; one for one-score and regression models). */
    public float[][] predictScores(float[][] features) {
        float[] scores = scores(features);
        int k = scores.length / features.length;
        float[][] out = new float[features.length][];
        for (int i = 0; i < features.length; i++) {
            out[i] = java.util.Arrays.copyOfRange(scores, i * k, (i + 1) * k);
        }
        return out;
    }

    /** The metrics of every epoch and split of the training run (empty for a model loaded from ONNX). */
    public List<EpochMetrics> history() {
        return history;
    }

    /** The epoch whose parameters this model holds (0 when unknown). */
    public int selectedEpoch() {
        return selectedEpoch;
    }

    /** The metrics of {@code split} ("test", "validation", "train") at the selected epoch; null when there are none. */
    public EpochMetrics metrics(String split) {
        return history.stream().filter(m -> m.epoch() == selectedEpoch && m.split().equals(split)).findFirst().orElse(null);
    }

    /** Writes the model as ONNX (input {@code input}; outputs {@code scores}, {@code probabilities}, {@code label}). */
    public void exportOnnx(Path file) {
        try {
            saved.exportOnnx(file);
        } catch (IOException e) {
            throw new ThetaException.Config("cannot write " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw ThetaException.of(e);
        }
    }

    /**
     * Writes the model as a run directory ({@code config.yaml}, {@code data-spec.json}, {@code parameters.npz}) that
     * {@link #load} and {@code theta export} read; {@code directory} must be new or empty.
     */
    public void saveCheckpoint(Path directory) {
        try {
            saved.saveCheckpoint(directory);
        } catch (IOException e) {
            throw new ThetaException.Config("cannot write " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw ThetaException.of(e);
        }
    }

    @Override
    public void close() {
        predictor.close();
    }

    private float[] scores(float[][] features) {
        if (features.length == 0) {
            throw new ThetaException.Data("no rows to predict", null);
        }
        float[] flat = new float[features.length * exampleSize];
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != exampleSize) {
                throw new ThetaException.Data("row " + i + " has " + features[i].length + " features; the model takes "
                        + exampleSize + " (shape " + java.util.Arrays.toString(exampleShape) + ")", null);
            }
            System.arraycopy(features[i], 0, flat, i * exampleSize, exampleSize);
        }
        try {
            return predictor.scores(flat, features.length);
        } catch (RuntimeException e) {
            throw ThetaException.of(e);
        }
    }

    private void requireLabels() {
        if (decision == Decision.NONE) {
            throw new ThetaException.Config("this model predicts real values, not classes: use predictScores", null);
        }
        if (positions > 1) {
            throw new ThetaException.Config("this model predicts a class at each of " + positions + " positions of an example,"
                    + " not one class per example: use predictScores (" + positions + " rows of scores per example)", null);
        }
    }
}
