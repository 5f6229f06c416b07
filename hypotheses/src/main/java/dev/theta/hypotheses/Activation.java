package dev.theta.hypotheses;

import dev.theta.api.graph.Value;

import java.util.Arrays;
import java.util.List;

/** Hidden-layer nonlinearities, each written with primitives, with the initialiser that suits it. */
enum Activation {
    RELU("relu", "he") {
        @Override Value apply(Value x) { return x.relu(); }
    },
    TANH("tanh", "xavier") {
        @Override Value apply(Value x) { return x.tanh(); }
    },
    SIGMOID("sigmoid", "xavier") {
        @Override Value apply(Value x) { return x.sigmoid(); }
    },
    /** The tanh form of GELU, PyTorch's {@code GELU(approximate='tanh')}: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))). */
    GELU("gelu", "he") {
        @Override Value apply(Value x) {
            Value inner = x.add(x.mul(x).mul(x).mul(0.044715f)).mul((float) Math.sqrt(2 / Math.PI));
            return x.mul(inner.tanh().add(1f)).mul(0.5f);
        }
    };

    private final String label;
    private final String suggestedInit;

    Activation(String label, String suggestedInit) {
        this.label = label;
        this.suggestedInit = suggestedInit;
    }

    abstract Value apply(Value x);

    String label() {
        return label;
    }

    /** He for the ReLU family, Xavier for saturating functions. */
    String suggestedInit() {
        return suggestedInit;
    }

    static List<String> labels() {
        return Arrays.stream(values()).map(Activation::label).toList();
    }

    static Activation of(String label) {
        return Arrays.stream(values()).filter(a -> a.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown activation " + label));
    }
}
