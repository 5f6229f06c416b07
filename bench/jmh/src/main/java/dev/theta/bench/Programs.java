package dev.theta.bench;

import dev.theta.api.graph.Graph;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.Optimizer;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.spi.Provider;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The benchmark cases' training-step graphs, built from the real plugins exactly as the runner builds them, on
 * Fashion-MNIST's shapes (784 features, 10 classes).
 */
public final class Programs {
    static final int FEATURES = 784;
    static final int CLASSES = 10;

    private Programs() {
    }

    /**
     * softmax | mlp-sgd | mlp (784-256-10, Adam) | mlp512 (784-512-512-10, Adam) | cnn (examples/fashion-mnist-cnn.yaml's
     * network, Adam).
     */
    public static Graph step(String model) {
        DataSpec spec = DataSpec.classification(Shape.of(FEATURES), CLASSES,
                IntStream.range(0, CLASSES).mapToObj(Integer::toString).toList());
        Hypothesis h = switch (model) {
            case "softmax" -> hypothesis("linear", Map.of(), spec);
            case "mlp", "mlp-sgd" -> hypothesis("mlp", Map.of("hidden", List.of(256)), spec);
            case "mlp512" -> hypothesis("mlp", Map.of("hidden", List.of(512, 512)), spec);
            case "cnn" -> hypothesis("cnn", Map.of("image", List.of(1, 28, 28), "layers", List.of(
                    Map.of("conv", 32, "kernel", 3, "pad", 1), "relu", Map.of("maxpool", 2),
                    Map.of("conv", 64, "kernel", 3, "pad", 1), "relu", Map.of("maxpool", 2),
                    "flatten", Map.of("dense", 128), "relu")), spec);
            default -> throw new IllegalArgumentException("unknown model " + model);
        };
        boolean sgd = model.equals("softmax") || model.equals("mlp-sgd");
        OptimizerProvider op = plugin(OptimizerProvider.class, sgd ? "sgd" : "adam");
        Optimizer o = op.create(options(op, sgd ? Map.of("lr", 0.1) : Map.of()));
        LossProvider lp = plugin(LossProvider.class, "cross-entropy");
        Loss loss = lp.create(options(lp, Map.of()), spec);
        return TrainingProgram.build(spec, h, loss, o, 0).step();
    }

    /** Matrix-product FLOPs one example costs in a step: forward, weight gradients, input gradients past layer 1. */
    public static long flopsPerExample(String model) {
        if (model.equals("cnn")) {
            // As bench/epochs.sh counts them: conv multiply-adds = output pixels x out channels x kernel area x in
            // channels; the first layer has no input gradient.
            return 2L * 2 * 28 * 28 * 32 * 9 + 2L * 3 * 14 * 14 * 64 * 9 * 32 + 2L * 3 * 3136 * 128 + 2L * 3 * 128 * 10;
        }
        int[] widths = switch (model) {
            case "softmax" -> new int[] {FEATURES, CLASSES};
            case "mlp", "mlp-sgd" -> new int[] {FEATURES, 256, CLASSES};
            case "mlp512" -> new int[] {FEATURES, 512, 512, CLASSES};
            default -> throw new IllegalArgumentException("unknown model " + model);
        };
        long flops = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            long macs = (long) widths[l] * widths[l + 1];
            flops += 2 * macs * (l == 0 ? 2 : 3);
        }
        return flops;
    }

    /** Fills features with values in [0, 1) and labels in [0, 10), deterministically. */
    public static void fillBatch(Tensor x, Tensor y, long seed) {
        Random r = new Random(seed);
        float[] xf = x.floats();
        for (int i = 0; i < xf.length; i++) {
            xf[i] = r.nextFloat();
        }
        long[] yl = y.longs();
        for (int i = 0; i < yl.length; i++) {
            yl[i] = r.nextInt(CLASSES);
        }
    }

    private static Hypothesis hypothesis(String name, Map<String, ?> raw, DataSpec spec) {
        HypothesisProvider p = plugin(HypothesisProvider.class, name);
        return p.create(options(p, raw), spec, CLASSES);
    }

    private static <P extends Provider> P plugin(Class<P> kind, String name) {
        for (P p : ServiceLoader.load(kind)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no " + kind.getSimpleName() + " named " + name);
    }

    private static Options options(Provider p, Map<String, ?> raw) {
        return p.options().validate(raw, p.name(), Set.of());
    }
}
