package dev.theta.optimizers;

import java.util.Map;

/**
 * An emulation of a PyTorch training loop with {@code torch.optim.lr_scheduler}: the schedulers use their chainable
 * (recursive) forms from PyTorch 2.x, and warm-up is {@code SequentialLR([LinearLR, schedule], milestones=[W])}.
 * It records the lr every optimizer step sees and calls {@code scheduler.step()} after each epoch or each step.
 */
final class TorchSchedulers {
    private TorchSchedulers() {
    }

    /** The lr after the scheduler's k-th {@code step()} (k ≥ 1), from the lr before it. */
    private interface Chainable {
        double next(double lr, int k);
    }

    /** The lr of optimizer steps 1, 2, …, stepsPerEpoch·epochs (index t − 1). */
    static double[] lrs(String name, Map<String, Object> raw, double base, int stepsPerEpoch, int epochs) {
        boolean perEpoch = !"step".equals(raw.get("unit"));
        int warmup = integer(raw, "warmup", 0);
        double start = number(raw, "warmup-start-factor", 1.0 / 3);
        int units = perEpoch ? epochs : stepsPerEpoch * epochs;
        Chainable main = main(name, raw, base, units - warmup);
        Chainable linear = (lr, k) -> k > warmup ? lr : lr * (1 + (1 - start) / (warmup * start + (k - 1) * (1 - start)));

        double[] out = new double[stepsPerEpoch * epochs];
        double lr = warmup > 0 ? base * start : base;
        int k = 0;
        for (int epoch = 0, t = 0; epoch < epochs; epoch++) {
            for (int batch = 0; batch < stepsPerEpoch; batch++) {
                out[t++] = lr;
                if (!perEpoch) {
                    k++;
                    lr = k < warmup ? linear.next(lr, k) : k == warmup ? base : main.next(lr, k - warmup);
                }
            }
            if (perEpoch) {
                k++;
                lr = k < warmup ? linear.next(lr, k) : k == warmup ? base : main.next(lr, k - warmup);
            }
        }
        return out;
    }

    private static Chainable main(String name, Map<String, Object> raw, double base, int remaining) {
        return switch (name) {
            case "constant" -> (lr, k) -> lr;
            case "step" -> {
                int stepSize = integer(raw, "step-size", -1);
                double gamma = number(raw, "gamma", 0.1);
                yield (lr, k) -> k % stepSize == 0 ? lr * gamma : lr;
            }
            case "exponential" -> {
                double gamma = number(raw, "gamma", Double.NaN);
                yield (lr, k) -> lr * gamma;
            }
            case "cosine" -> {
                int tMax = integer(raw, "t-max", remaining);
                double etaMin = number(raw, "eta-min", 0);
                yield (lr, k) -> (k - 1 - tMax) % (2 * tMax) == 0
                        ? lr + (base - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2
                        : (1 + Math.cos(Math.PI * k / tMax)) / (1 + Math.cos(Math.PI * (k - 1) / tMax)) * (lr - etaMin) + etaMin;
            }
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static int integer(Map<String, Object> raw, String key, int otherwise) {
        return raw.containsKey(key) ? ((Number) raw.get(key)).intValue() : otherwise;
    }

    private static double number(Map<String, Object> raw, String key, double otherwise) {
        return raw.containsKey(key) ? ((Number) raw.get(key)).doubleValue() : otherwise;
    }
}
