package dev.theta.api.ops;

import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;

/**
 * The elementwise functions of one float argument: each row holds the ONNX name, a double-precision reference (the
 * definition tests compare against) and the gradient rule dL/dx given x, y = f(x) and g = dL/dy.
 */
public enum UnaryFn {
    NEG("Neg") {
        @Override public double reference(double x) { return -x; }
        @Override public Value vjp(Value x, Value y, Value g) { return g.neg(); }
    },
    EXP("Exp") {
        @Override public double reference(double x) { return Math.exp(x); }
        @Override public Value vjp(Value x, Value y, Value g) { return g.mul(y); }
    },
    LOG("Log") {
        @Override public double reference(double x) { return Math.log(x); }
        @Override public Value vjp(Value x, Value y, Value g) { return g.div(x); }
    },
    SQRT("Sqrt") {
        @Override public double reference(double x) { return Math.sqrt(x); }
        @Override public Value vjp(Value x, Value y, Value g) { return g.div(y.mul(2f)); }
    },
    ABS("Abs") {
        @Override public double reference(double x) { return Math.abs(x); }
        @Override public Value vjp(Value x, Value y, Value g) { return g.mul(x.sign()); }
    },
    SIGN("Sign") {
        @Override public double reference(double x) { return Math.signum(x); }
        @Override public Value vjp(Value x, Value y, Value g) { return null; }
    },
    RELU("Relu") {
        @Override public double reference(double x) { return Math.max(x, 0); }
        // y > 0 exactly where x > 0: reading the output lets the input go once y is computed (a bias add and the Relu
        // after it then fuse into one pass over the activations).
        @Override public Value vjp(Value x, Value y, Value g) { return g.mul(y.greater(0f).cast(DType.FLOAT32)); }
    },
    TANH("Tanh") {
        @Override public double reference(double x) { return Math.tanh(x); }
        @Override public Value vjp(Value x, Value y, Value g) { return g.mul(y.mul(y).rsub(1f)); }
    },
    SIGMOID("Sigmoid") {
        @Override public double reference(double x) { return 1 / (1 + Math.exp(-x)); }
        @Override public Value vjp(Value x, Value y, Value g) { return g.mul(y.mul(y.rsub(1f))); }
    },
    ERF("Erf") {
        @Override public double reference(double x) { return ErrorFunction.erf(x); }
        @Override public Value vjp(Value x, Value y, Value g) {
            return g.mul(x.mul(x).neg().exp().mul((float) (2 / Math.sqrt(Math.PI))));
        }
    };

    private final String onnxName;

    UnaryFn(String onnxName) {
        this.onnxName = onnxName;
    }

    public String onnxName() {
        return onnxName;
    }

    /** The function in double precision. */
    public abstract double reference(double x);

    /** dL/dx, or null where the derivative is zero almost everywhere. */
    public abstract Value vjp(Value x, Value y, Value g);
}
