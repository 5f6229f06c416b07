package dev.theta.backend.onnxruntime.saved;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.theta.api.graph.TensorType;
import dev.theta.api.spi.DataException;
import dev.theta.api.spi.SavedModel;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.backend.onnxruntime.OrtRuntime;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A saved ONNX model in an ONNX Runtime session (CPU provider, two threads). */
final class OrtSavedModel implements SavedModel {
    private final Path file;
    private final OrtSession session;

    private OrtSavedModel(Path file, OrtSession session) {
        this.file = file;
        this.session = session;
    }

    static OrtSavedModel open(Path file) throws DataException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            return new OrtSavedModel(file, OrtRuntime.environment().createSession(file.toString(), options));
        } catch (OrtException e) {
            throw new DataException(file, "ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, String> metadata() {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new IllegalStateException(file + ": cannot read metadata: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, TensorType> inputs() {
        try {
            Map<String, TensorType> inputs = new LinkedHashMap<>();
            for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
                if (e.getValue().getInfo() instanceof TensorInfo t) {
                    int[] dims = Arrays.stream(t.getShape()).mapToInt(d -> d < 0 ? Shape.BATCH : Math.toIntExact(d)).toArray();
                    inputs.put(e.getKey(), new TensorType(t.type == OnnxJavaType.INT64 ? DType.INT64 : DType.FLOAT32, Shape.of(dims)));
                }
            }
            return inputs;
        } catch (OrtException e) {
            throw new IllegalStateException(file + ": cannot read the model's inputs: " + e.getMessage(), e);
        }
    }

    @Override
    public Set<String> outputs() {
        return new LinkedHashSet<>(session.getOutputNames());
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) {
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                Tensor t = e.getValue();
                long[] shape = Arrays.stream(t.shape().dims()).asLongStream().toArray();
                in.put(e.getKey(), t.dtype() == DType.INT64
                        ? OnnxTensor.createTensor(OrtRuntime.environment(), LongBuffer.wrap(t.longs()), shape)
                        : OnnxTensor.createTensor(OrtRuntime.environment(), FloatBuffer.wrap(t.floats()), shape));
            }
            try (OrtSession.Result result = session.run(in, outputs)) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (String name : outputs) {
                    out.put(name, tensor((OnnxTensor) result.get(name).orElseThrow()));
                }
                return out;
            }
        } catch (OrtException e) {
            Map<String, String> shapes = new LinkedHashMap<>();
            inputs.forEach((name, t) -> shapes.put(name, t.shape().toString()));
            throw new IllegalArgumentException(file + ": running the model failed (inputs " + shapes + ", the model takes "
                    + inputs() + "): " + e.getMessage(), e);
        } finally {
            in.values().forEach(OnnxValue::close);
        }
    }

    private static Tensor tensor(OnnxTensor t) {
        int[] dims = Arrays.stream(t.getInfo().getShape()).mapToInt(Math::toIntExact).toArray();
        if (t.getInfo().type == OnnxJavaType.INT64) {
            LongBuffer b = t.getLongBuffer();
            long[] values = new long[b.remaining()];
            b.get(values);
            return Tensor.of(Shape.of(dims), values);
        }
        FloatBuffer b = t.getFloatBuffer();
        float[] values = new float[b.remaining()];
        b.get(values);
        return Tensor.of(Shape.of(dims), values);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
