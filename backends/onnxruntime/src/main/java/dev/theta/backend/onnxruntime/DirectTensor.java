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
 * A buffer that moved from a carried output to its input holds the newer value until {@link #expose} copies it
 * into the tensor; an exposed tensor is copied back by {@link #pushIfExposed}, as its holder may have written it.
 */
final class DirectTensor implements AutoCloseable {
    private final Tensor tensor;
    private final ByteBuffer bytes;
    private final FloatBuffer floats;
    private final LongBuffer longs;
    private final OnnxTensor ort;

    /** Whether the native buffer holds a newer value than the tensor. */
    private boolean nativeNewer;
    /** Whether the tensor was handed out since the last push (so it may hold a newer value than the buffer). */
    private boolean exposed = true;

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

    /** The tensor, brought up to date with the buffer, to be pushed before the next run. */
    Tensor expose() {
        if (nativeNewer) {
            pull();
            nativeNewer = false;
        }
        exposed = true;
        return tensor;
    }

    /** The buffer was written by ONNX Runtime and the tensor was not updated. */
    void markNativeNewer() {
        nativeNewer = true;
        exposed = false;
    }

    /** Copies the tensor into the buffer if it may have changed since the buffer was last written. */
    void pushIfExposed() {
        if (exposed) {
            push();
            exposed = false;
        }
    }

    OnnxTensor ort() {
        return ort;
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
