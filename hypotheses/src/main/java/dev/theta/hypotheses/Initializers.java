package dev.theta.hypotheses;

import dev.theta.api.options.Option;
import dev.theta.api.spi.Initializer;

import java.util.List;

/** The initialiser option shared by hypotheses: names in configs mapped to {@link Initializer}s. */
final class Initializers {
    static final Option OPTION = Option.choice("init", "pytorch", List.of("pytorch", "xavier", "he", "zeros"),
            "weight initialiser: pytorch (U(±1/sqrt(fan_in)), nn.Linear's default), xavier (Glorot uniform), he (Kaiming normal), zeros");

    private Initializers() {
    }

    static Initializer named(String name) {
        return switch (name) {
            case "pytorch" -> Initializer.PYTORCH_LINEAR;
            case "xavier" -> Initializer.XAVIER_UNIFORM;
            case "he" -> Initializer.HE_NORMAL;
            case "zeros" -> Initializer.ZEROS;
            default -> throw new IllegalArgumentException("unknown initialiser " + name);
        };
    }

    /** Biases: PyTorch draws them like the weights (from fan-in); the other schemes start them at zero. */
    static Initializer bias(String name) {
        return name.equals("pytorch") ? Initializer.PYTORCH_LINEAR : Initializer.ZEROS;
    }
}
