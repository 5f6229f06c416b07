package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;

import java.util.List;

/**
 * A primitive operation. Each primitive keeps its rules in one place: its attributes (the record components), its
 * type inference and its gradient rule, written with primitives. Backends switch exhaustively over this sealed
 * hierarchy, so the compiler lists what a new primitive still lacks.
 */
public sealed interface Op permits Input, Constant, Unary, Binary, Compare, Where, Reduce, LogSoftmax, MatMul,
        Gather, GatherElements, OneHot, EyeLike, Transpose, Reshape, Expand, Concat, Slice, Cast, Size,
        Conv, ConvTranspose, MaxPool, AveragePool, ScatterElements, RandomBits {

    /** The ONNX operator this primitive corresponds to. */
    String onnxName();

    /** Result type for the given input types; throws {@link IllegalArgumentException} on invalid inputs. */
    TensorType infer(List<TensorType> inputs);

    /**
     * The vector-Jacobian product: given {@code y} (a node of this op) and {@code g} = dL/dy, returns dL/dx for each
     * input x of {@code y}, with x's shape; an entry is {@code null} where no gradient flows (integer inputs,
     * piecewise-constant functions).
     */
    List<Value> vjp(Value y, Value g);
}
