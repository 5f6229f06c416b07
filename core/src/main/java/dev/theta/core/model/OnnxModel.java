package dev.theta.core.model;

import dev.theta.api.graph.TensorType;
import dev.theta.api.spi.DataException;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.ExportRequest;
import dev.theta.api.spi.SavedModel;
import dev.theta.api.spi.SavedModelLoader;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * An exported theta model ({@code model.onnx}), run through the saved-model SPI (the ONNX Runtime backend reads it):
 * input {@code input} [N, features...] (float32, or int64 token ids), outputs {@code scores}, {@code probabilities}
 * and {@code label}. Used by {@code theta predict}, {@code theta eval}, {@code theta generate} and {@code Model.load}.
 */
public final class OnnxModel implements AutoCloseable {
    private static final String INPUT = "input";
    /** Feature elements per ONNX Runtime run in {@link #predict(Dataset)}: 1,024 windows of 64 tokens, 83 images. */
    static final int CHUNK_ELEMENTS = 1 << 16;

    private final SavedModel model;
    private final Path file;
    private final TensorType input;

    private OnnxModel(Path file, SavedModel model, TensorType input) {
        this.file = file;
        this.model = model;
        this.input = input;
    }

    public static OnnxModel open(Path file) {
        SavedModel model;
        try {
            model = SavedModelLoader.load(file);
        } catch (DataException e) {
            throw new UserError(ExitCode.DATA, e.getMessage(), e);
        }
        TensorType input = model.inputs().get(INPUT);
        if (!model.outputs().contains("scores") || input == null) {
            model.close();
            throw new UserError(ExitCode.DATA, file + ": not a theta model (no input '" + INPUT + "' and output 'scores')");
        }
        return new OnnxModel(file, model, input);
    }

    /** Whether the model predicts labels (classifiers do; regression models give scores only). */
    public boolean hasLabels() {
        return model.outputs().contains("label");
    }

    /** The model's metadata_props (provenance written at export). */
    public Map<String, String> metadata() {
        return model.metadata();
    }

    /** Predictions for {@code n} examples whose features are rows of {@code features} with the given per-example shape. */
    public Predictions predict(float[] features, int n, int[] exampleShape) {
        return run(Tensor.of(batchShape(n, exampleShape), Arrays.copyOf(features, n * size(exampleShape))), n);
    }

    /** Predictions for {@code n} examples of int64 features (token ids), rows of {@code features}. */
    public Predictions predict(long[] features, int n, int[] exampleShape) {
        return run(Tensor.of(batchShape(n, exampleShape), Arrays.copyOf(features, n * size(exampleShape))), n);
    }

    /** The element type of the model's input: FLOAT32 for feature vectors, INT64 for token ids. */
    public DType inputType() {
        return input.dtype();
    }

    /** The shape of one example of the input (the batch dimension left out); a negative dim is a symbolic length. */
    public int[] exampleShape() {
        int[] dims = input.shape().dims();
        return Arrays.copyOfRange(dims, 1, dims.length);
    }

    /** {@link #exampleShape()} with a symbolic length at its {@link #maxLength()}: the shape of the longest example. */
    public int[] longestExampleShape() {
        int max = maxLength();
        return Arrays.stream(exampleShape()).map(d -> d < 0 ? max : d).toArray();
    }

    /**
     * The longest sequence a model with a symbolic length (input [N, T]) reads, from its metadata
     * {@value ExportRequest#MAX_LENGTH}; 0 for a model of fixed input shape.
     */
    public int maxLength() {
        if (Arrays.stream(exampleShape()).noneMatch(d -> d < 0)) {
            return 0;
        }
        String max = metadata().get(ExportRequest.MAX_LENGTH);
        try {
            return max == null ? Integer.MAX_VALUE : Integer.parseInt(max);
        } catch (NumberFormatException e) {
            throw new UserError(ExitCode.DATA, file + ": metadata " + ExportRequest.MAX_LENGTH + " = '" + max
                    + "' is not a number; export the model again with this theta");
        }
    }

    private Predictions run(Tensor x, int n) {
        int[] expected = exampleShape();
        int[] given = Arrays.copyOfRange(x.shape().dims(), 1, x.shape().rank());
        if (!fits(expected, given) || x.dtype() != input.dtype()) {
            throw new UserError(ExitCode.DATA, file + ": the model's input '" + INPUT + "' takes " + input.dtype() + " examples of shape "
                    + describe(expected) + ", but the data has " + x.dtype() + " examples of shape " + Arrays.toString(given));
        }
        int max = maxLength();
        for (int axis = 0; axis < expected.length; axis++) {
            if (expected[axis] < 0 && (given[axis] < 1 || given[axis] > max)) {
                throw new UserError(ExitCode.DATA, file + ": the model reads sequences of 1 to " + max + " tokens (its"
                        + " block size), but got " + given[axis] + "; " + (given[axis] < 1 ? "give at least one token"
                        : "use the data's context of at most " + max + " tokens"));
            }
        }
        Set<String> outputs = hasLabels() ? Set.of("scores", "probabilities", "label") : Set.of("scores");
        Map<String, Tensor> out;
        try {
            out = model.run(Map.of(INPUT, x), outputs);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.DATA, e.getMessage(), e);
        }
        float[] scores = out.get("scores").floats();
        if (!hasLabels()) {
            return new Predictions(n, scores, null, null);
        }
        return new Predictions(n, scores, out.get("probabilities").floats(), out.get("label").longs());
    }

    private static boolean fits(int[] expected, int[] given) {
        if (expected.length != given.length) {
            return false;
        }
        for (int axis = 0; axis < expected.length; axis++) {
            if (expected[axis] >= 0 && expected[axis] != given[axis]) {
                return false;
            }
        }
        return true;
    }

    private String describe(int[] shape) {
        StringBuilder s = new StringBuilder("[");
        for (int axis = 0; axis < shape.length; axis++) {
            s.append(axis == 0 ? "" : ", ").append(shape[axis] < 0 ? "T (1 to " + maxLength() + ")" : Integer.toString(shape[axis]));
        }
        return s.append(']').toString();
    }

    private static Shape batchShape(int n, int[] exampleShape) {
        int[] dims = new int[exampleShape.length + 1];
        dims[0] = n;
        System.arraycopy(exampleShape, 0, dims, 1, exampleShape.length);
        return Shape.of(dims);
    }

    private static int size(int[] exampleShape) {
        return Arrays.stream(exampleShape).reduce(1, (a, b) -> a * b);
    }

    @Override
    public void close() {
        model.close();
    }

    /**
     * Row-major outputs for n examples. Models of losses without labels (regression, contrastive) have scores only:
     * {@code probabilities} and {@code labels} are null.
     */
    public record Predictions(int n, float[] scores, float[] probabilities, long[] labels) {
        public boolean hasLabels() {
            return labels != null;
        }

        /** Room for {@code n} examples' predictions, as many values per example as {@code like} has. */
        static Predictions sized(int n, Predictions like) {
            return new Predictions(n, new float[like.scores.length / like.n * n],
                    like.hasLabels() ? new float[like.probabilities.length / like.n * n] : null,
                    like.hasLabels() ? new long[like.labels.length / like.n * n] : null);
        }

        /** Copies {@code part}, the predictions of examples from {@code from} on, into these. */
        void copy(int from, Predictions part) {
            System.arraycopy(part.scores, 0, scores, from * (scores.length / n), part.scores.length);
            if (hasLabels()) {
                System.arraycopy(part.probabilities, 0, probabilities, from * (probabilities.length / n), part.probabilities.length);
                System.arraycopy(part.labels, 0, labels, from * (labels.length / n), part.labels.length);
            }
        }

        /** Values per example in the CSV: k probabilities, 1 (of class 1) for one score, or the scores themselves. */
        public int width() {
            return (hasLabels() ? probabilities.length : scores.length) / n;
        }
    }

    /**
     * Predictions for the features of {@code data}, float32 or int64 (token ids) as the data holds them, run in
     * chunks of at most {@value #CHUNK_ELEMENTS} feature elements: a whole split in one run needs the activations of
     * every example at once (tiny Shakespeare's 55,706 test windows: 3.6 GB for each attention tensor).
     */
    public Predictions predict(Dataset data) {
        return predict(data, defaultChunk(data));
    }

    /** {@link #predict(Dataset)} in runs of at most {@code chunk} examples. */
    public Predictions predict(Dataset data, int chunk) {
        Predictions[] all = {new Predictions(0, new float[0], hasLabels() ? new float[0] : null, hasLabels() ? new long[0] : null)};
        predict(data, chunk, (from, part) -> {
            if (from == 0) {
                all[0] = Predictions.sized(data.size(), part);
            }
            all[0].copy(from, part);
        });
        return all[0];
    }

    /** One run's predictions, for the examples from {@code from} on, as {@link #predict(Dataset, int, Chunks)} gives them. */
    @FunctionalInterface
    public interface Chunks {
        void accept(int from, Predictions part);
    }

    /**
     * The predictions of {@code data} handed over run by run, at most {@code chunk} examples each, in order: a caller
     * that reduces them (eval's metrics) never holds a whole split's scores.
     */
    public void predict(Dataset data, int chunk, Chunks chunks) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk " + chunk + " < 1");
        }
        int[] shape = data.spec().featureShape().dims();
        int size = size(shape);
        int n = data.size();
        long[] ids = data.features().dtype() == DType.INT64 ? data.features().longs() : null;
        float[] values = ids == null ? data.features().floats() : null;
        for (int from = 0; from < n; from += chunk) {
            int rows = Math.min(chunk, n - from);
            Shape batch = batchShape(rows, shape);
            chunks.accept(from, run(ids != null
                    ? Tensor.of(batch, Arrays.copyOfRange(ids, from * size, (from + rows) * size))
                    : Tensor.of(batch, Arrays.copyOfRange(values, from * size, (from + rows) * size)), rows));
        }
    }

    /** Examples per run holding at most {@value #CHUNK_ELEMENTS} feature elements, at least one. */
    public static int defaultChunk(Dataset data) {
        return Math.max(1, CHUNK_ELEMENTS / Math.max(1, data.spec().featureSize()));
    }
}
