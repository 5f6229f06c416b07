package dev.theta.api.ops;

/** The broadcasting comparisons: ONNX name and double-precision reference. */
public enum CompareFn {
    LESS("Less") {
        @Override public boolean reference(double a, double b) { return a < b; }
    },
    GREATER("Greater") {
        @Override public boolean reference(double a, double b) { return a > b; }
    },
    EQUAL("Equal") {
        @Override public boolean reference(double a, double b) { return a == b; }
    };

    private final String onnxName;

    CompareFn(String onnxName) {
        this.onnxName = onnxName;
    }

    public String onnxName() {
        return onnxName;
    }

    public abstract boolean reference(double a, double b);
}
