package dev.theta.backend.onnxruntime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * A theta tensor (heap arrays, as the API requires) paired with an ONNX Runtime tensor over a direct buffer that
 * ONNX Runtime reads (inputs) or writes (pinned outputs) without copying; the two are synchronised explicitly.
 */
final class DirectTensor implements AutoCloseable {
    private Tensor tensor;
    private final ByteBuffer bytes;
    private final FloatBuffer floats;
    private final LongBuffer longs;
    private final OnnxTensor ort;

    DirectTensor(OrtEnvironment env, DType dtype, Shape shape) throws OrtException {
        tensor = Tensor.zeros(dtype, shape);
        int width = switch (dtype) {
            case FLOAT32 -> 4;
            case INT64 -> 8;
            case BOOL -> 1;
        };
        bytes = ByteBuffer.allocateDirect(Math.max(1, width * shape.size())).order(ByteOrder.nativeOrder());
        long[] dims = Arrays.stream(shape.dims()).asLongStream().toArray();
        floats = dtype == DType.FLOAT32 ? bytes.asFloatBuffer() : null;
        longs = dtype == DType.INT64 ? bytes.asLongBuffer() : null;
        ort = switch (dtype) {
            case FLOAT32 -> OnnxTensor.createTensor(env, floats, dims);
            case INT64 -> OnnxTensor.createTensor(env, longs, dims);
            case BOOL -> OnnxTensor.createTensor(env, bytes, dims, OnnxJavaType.BOOL);
        };
    }

    Tensor tensor() {
        return tensor;
    }

    OnnxTensor ort() {
        return ort;
    }

    /** Exchanges the theta tensors of two slots (carries), leaving the native buffers where they are. */
    static void swap(DirectTensor a, DirectTensor b) {
        Tensor t = a.tensor;
        a.tensor = b.tensor;
        b.tensor = t;
    }

    /** Copies the theta tensor into the native buffer. */
    void push() {
        switch (tensor.dtype()) {
            case FLOAT32 -> floats.put(0, tensor.floats());
            case INT64 -> longs.put(0, tensor.longs());
            case BOOL -> {
                float[] f = tensor.floats();
                for (int i = 0; i < f.length; i++) {
                    bytes.put(i, (byte) (f[i] != 0 ? 1 : 0));
                }
            }
        }
    }

    /** Copies the native buffer into the theta tensor. */
    void pull() {
        switch (tensor.dtype()) {
            case FLOAT32 -> floats.get(0, tensor.floats());
            case INT64 -> longs.get(0, tensor.longs());
            case BOOL -> {
                float[] f = tensor.floats();
                for (int i = 0; i < f.length; i++) {
                    f[i] = bytes.get(i) != 0 ? 1 : 0;
                }
            }
        }
    }

    @Override
    public void close() {
        ort.close();
    }
}
