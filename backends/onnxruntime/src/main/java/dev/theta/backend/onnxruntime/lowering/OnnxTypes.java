package dev.theta.backend.onnxruntime.lowering;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import dev.theta.api.graph.TensorType;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Conversions between theta's types and tensors and their ONNX protobuf forms. */
public final class OnnxTypes {
    /** The ONNX name of the symbolic batch dimension in lowered graphs. */
    public static final String BATCH_PARAM = "N";

    private OnnxTypes() {
    }

    public static TensorProto.DataType dataType(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> TensorProto.DataType.FLOAT;
            case INT64 -> TensorProto.DataType.INT64;
            case BOOL -> TensorProto.DataType.BOOL;
        };
    }

    /** A graph input or output declaration; N becomes {@value #BATCH_PARAM}, k·N (k > 1) an unnamed dimension. */
    public static ValueInfoProto valueInfo(String name, TensorType type) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int d : type.shape().dims()) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d == Shape.BATCH) {
                dim.setDimParam(BATCH_PARAM);
            } else if (d >= 0) {
                dim.setDimValue(d);
            }
            shape.addDim(dim);
        }
        TypeProto.Tensor tensor = TypeProto.Tensor.newBuilder()
                .setElemType(dataType(type.dtype()).getNumber()).setShape(shape).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    /** A concrete tensor as an initializer or Constant value, stored little-endian in raw_data. */
    public static TensorProto tensor(String name, Tensor t) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(dataType(t.dtype()).getNumber());
        for (int d : t.shape().dims()) {
            b.addDims(d);
        }
        ByteBuffer raw;
        switch (t.dtype()) {
            case FLOAT32 -> {
                raw = ByteBuffer.allocate(4 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
                raw.asFloatBuffer().put(t.floats());
            }
            case INT64 -> {
                raw = ByteBuffer.allocate(8 * t.size()).order(ByteOrder.LITTLE_ENDIAN);
                raw.asLongBuffer().put(t.longs());
            }
            case BOOL -> {
                raw = ByteBuffer.allocate(t.size());
                for (float f : t.floats()) {
                    raw.put((byte) (f != 0 ? 1 : 0));
                }
            }
            default -> throw new IllegalStateException(t.dtype().toString());
        }
        return b.setRawData(ByteString.copyFrom(raw.array())).build();
    }

    public static TensorProto int64s(String name, long... values) {
        return tensor(name, Tensor.of(Shape.of(values.length), values));
    }
}
