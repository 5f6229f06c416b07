package dev.theta.api.ops;

import dev.theta.api.graph.Value;

/**
 * The broadcasting elementwise functions of two arguments: ONNX name, double-precision reference, and the gradient
 * rule for each argument before it is summed back to that argument's shape.
 */
public enum BinaryFn {
    ADD("Add") {
        @Override public double reference(double a, double b) { return a + b; }
        @Override public Value vjpA(Value a, Value b, Value y, Value g) { return g; }
        @Override public Value vjpB(Value a, Value b, Value y, Value g) { return g; }
    },
    SUB("Sub") {
        @Override public double reference(double a, double b) { return a - b; }
        @Override public Value vjpA(Value a, Value b, Value y, Value g) { return g; }
        @Override public Value vjpB(Value a, Value b, Value y, Value g) { return g.neg(); }
    },
    MUL("Mul") {
        @Override public double reference(double a, double b) { return a * b; }
        @Override public Value vjpA(Value a, Value b, Value y, Value g) { return g.mul(b); }
        @Override public Value vjpB(Value a, Value b, Value y, Value g) { return g.mul(a); }
    },
    DIV("Div") {
        @Override public double reference(double a, double b) { return a / b; }
        @Override public Value vjpA(Value a, Value b, Value y, Value g) { return g.div(b); }
        @Override public Value vjpB(Value a, Value b, Value y, Value g) { return g.mul(y).div(b).neg(); }
    },
    POW("Pow") {
        @Override public double reference(double a, double b) { return Math.pow(a, b); }
        @Override public Value vjpA(Value a, Value b, Value y, Value g) { return g.mul(b).mul(a.pow(b.sub(1f))); }
        @Override public Value vjpB(Value a, Value b, Value y, Value g) { return g.mul(y).mul(a.log()); }
    },
    /** Ties send the gradient to the first argument. */
    MAX("Max") {
        @Override public double reference(double a, double b) { return Math.max(a, b); }
        @Override public Value vjpA(Value a, Value b, Value y, Value g) { return a.less(b).where(g.zero(), g); }
        @Override public Value vjpB(Value a, Value b, Value y, Value g) { return a.less(b).where(g, g.zero()); }
    },
    /** Ties send the gradient to the first argument. */
    MIN("Min") {
        @Override public double reference(double a, double b) { return Math.min(a, b); }
        @Override public Value vjpA(Value a, Value b, Value y, Value g) { return a.greater(b).where(g.zero(), g); }
        @Override public Value vjpB(Value a, Value b, Value y, Value g) { return a.greater(b).where(g, g.zero()); }
    };

    private final String onnxName;

    BinaryFn(String onnxName) {
        this.onnxName = onnxName;
    }

    public String onnxName() {
        return onnxName;
    }

    public abstract double reference(double a, double b);

    /** dL/da at the broadcast output shape. */
    public abstract Value vjpA(Value a, Value b, Value y, Value g);

    /** dL/db at the broadcast output shape. */
    public abstract Value vjpB(Value a, Value b, Value y, Value g);
}
