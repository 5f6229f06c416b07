package dev.theta.core.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.theta.api.spi.Dataset;
import dev.theta.api.tensor.DType;
import dev.theta.backend.onnxruntime.OrtRuntime;
import ai.onnxruntime.TensorInfo;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * An exported theta model run in ONNX Runtime: input {@code input} [N, features...] (float32, or int64 token ids),
 * outputs {@code scores}, {@code probabilities} and {@code label}. Used by {@code theta predict}, {@code theta eval}
 * and {@code theta generate}.
 */
public final class OnnxModel implements AutoCloseable {
    private static final String INPUT = "input";

    private final OrtEnvironment env = OrtRuntime.environment();
    private final OrtSession session;
    private final Path file;

    private OnnxModel(Path file, OrtSession session) {
        this.file = file;
        this.session = session;
    }

    public static OnnxModel open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError(ExitCode.DATA, file + ": no such model file");
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            OrtSession session = OrtRuntime.environment().createSession(file.toString(), options);
            if (!session.getOutputNames().contains("scores")) {
                session.close();
                throw new UserError(ExitCode.DATA, file + ": not a theta model (no output 'scores')");
            }
            return new OnnxModel(file, session);
        } catch (OrtException e) {
            throw new UserError(ExitCode.DATA, file + ": ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /** Whether the model predicts labels (classifiers do; regression models give scores only). */
    public boolean hasLabels() {
        return session.getOutputNames().contains("label");
    }

    /** The model's metadata_props (provenance written at export). */
    public Map<String, String> metadata() {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new UserError(ExitCode.DATA, file + ": cannot read metadata: " + e.getMessage(), e);
        }
    }

    /** Predictions for {@code n} examples whose features are rows of {@code features} with the given per-example shape. */
    public Predictions predict(float[] features, int n, int[] exampleShape) {
        long[] shape = batchShape(n, exampleShape);
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(features, 0, features.length), shape)) {
            return run(input, n, shape);
        } catch (OrtException e) {
            throw failure(shape, e);
        }
    }

    /** Predictions for {@code n} examples of int64 features (token ids), rows of {@code features}. */
    public Predictions predict(long[] features, int n, int[] exampleShape) {
        long[] shape = batchShape(n, exampleShape);
        try (OnnxTensor input = OnnxTensor.createTensor(env, LongBuffer.wrap(features, 0, features.length), shape)) {
            return run(input, n, shape);
        } catch (OrtException e) {
            throw failure(shape, e);
        }
    }

    /** The element type of input {@code input}: FLOAT for feature vectors, INT64 for token ids. */
    public OnnxJavaType inputType() {
        return inputInfo().type;
    }

    /** The shape of one example of input {@code input} (the batch dimension left out). */
    public int[] exampleShape() {
        long[] dims = inputInfo().getShape();
        int[] out = new int[dims.length - 1];
        for (int i = 1; i < dims.length; i++) {
            out[i - 1] = Math.toIntExact(dims[i]);
        }
        return out;
    }

    private TensorInfo inputInfo() {
        try {
            NodeInfo input = session.getInputInfo().get(INPUT);
            if (input == null || !(input.getInfo() instanceof TensorInfo info)) {
                throw new UserError(ExitCode.DATA, file + ": not a theta model (no tensor input '" + INPUT + "')");
            }
            return info;
        } catch (OrtException e) {
            throw new UserError(ExitCode.DATA, file + ": cannot read the model's inputs: " + e.getMessage(), e);
        }
    }

    private Predictions run(OnnxTensor input, int n, long[] shape) throws OrtException {
        try (OrtSession.Result result = session.run(Map.of(INPUT, input))) {
            float[] scores = floats(result, "scores");
            if (result.get("label").isEmpty()) {
                return new Predictions(n, scores, null, null);
            }
            float[] probabilities = floats(result, "probabilities");
            LongBuffer labels = ((OnnxTensor) result.get("label").orElseThrow()).getLongBuffer();
            long[] label = new long[labels.remaining()];
            labels.get(label);
            return new Predictions(n, scores, probabilities, label);
        }
    }

    private static long[] batchShape(int n, int[] exampleShape) {
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = n;
        for (int i = 0; i < exampleShape.length; i++) {
            shape[i + 1] = exampleShape[i];
        }
        return shape;
    }

    private UserError failure(long[] shape, OrtException e) {
        return new UserError(ExitCode.DATA, file + ": running the model failed (input shape " + Arrays.toString(shape)
                + "): " + e.getMessage(), e);
    }

    private static float[] floats(OrtSession.Result result, String name) throws OrtException {
        FloatBuffer b = ((OnnxTensor) result.get(name).orElseThrow()).getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Row-major outputs for n examples. Models of losses without labels (regression, contrastive) have scores only:
     * {@code probabilities} and {@code labels} are null.
     */
    public record Predictions(int n, float[] scores, float[] probabilities, long[] labels) {
        public boolean hasLabels() {
            return labels != null;
        }

        /** Values per example in the CSV: k probabilities, 1 (of class 1) for one score, or the scores themselves. */
        public int width() {
            return (hasLabels() ? probabilities.length : scores.length) / n;
        }
    }

    /** Predictions for the features of {@code data}, float32 or int64 (token ids) as the data holds them. */
    public Predictions predict(Dataset data) {
        int[] shape = data.spec().featureShape().dims();
        return data.features().dtype() == DType.INT64
                ? predict(data.features().longs(), data.size(), shape)
                : predict(data.features().floats(), data.size(), shape);
    }
}
