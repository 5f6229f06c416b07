package dev.theta.api.ops;

import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;

/** The reductions: ONNX name, identity element, and the gradient rule given g already expanded to x's shape. */
public enum ReduceFn {
    SUM("ReduceSum", 0) {
        @Override public Value vjp(Value x, Value yExpanded, Value gExpanded, Value y) { return gExpanded; }
    },
    MEAN("ReduceMean", 0) {
        @Override public Value vjp(Value x, Value yExpanded, Value gExpanded, Value y) {
            // The count may involve the symbolic batch size, so it is computed in the graph.
            Value count = x.size().cast(DType.FLOAT32).div(y.size().cast(DType.FLOAT32));
            return gExpanded.div(count);
        }
    },
    /** Ties share the gradient equally, as PyTorch's amax does. */
    MAX("ReduceMax", Double.NEGATIVE_INFINITY) {
        @Override public Value vjp(Value x, Value yExpanded, Value gExpanded, Value y) {
            Value mask = x.equal(yExpanded).cast(DType.FLOAT32);
            Reduce r = (Reduce) y.op();
            Value ties = Reduce.expandBack(mask.reduce(ReduceFn.SUM, r.axes(), false), x, r.axes());
            return gExpanded.mul(mask).div(ties);
        }
    };

    private final String onnxName;
    private final double identity;

    ReduceFn(String onnxName, double identity) {
        this.onnxName = onnxName;
        this.identity = identity;
    }

    public String onnxName() {
        return onnxName;
    }

    /** The value a reduction starts from. */
    public double identity() {
        return identity;
    }

    /** dL/dx given x, y and g both broadcast back to x's shape, and y itself. */
    public abstract Value vjp(Value x, Value yExpanded, Value gExpanded, Value y);
}
