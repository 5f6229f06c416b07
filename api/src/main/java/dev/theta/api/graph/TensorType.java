package dev.theta.api.graph;

import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

/** The static type of a graph value: element type and (possibly symbolic) shape. */
public record TensorType(DType dtype, Shape shape) {
    public static TensorType f32(int... dims) {
        return new TensorType(DType.FLOAT32, Shape.of(dims));
    }

    public TensorType withShape(Shape s) {
        return new TensorType(dtype, s);
    }

    public TensorType withDType(DType d) {
        return new TensorType(d, shape);
    }

    @Override
    public String toString() {
        return dtype + shape.toString();
    }
}
