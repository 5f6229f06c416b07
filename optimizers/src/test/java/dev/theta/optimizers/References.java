package dev.theta.optimizers;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Double-precision implementations of torch.optim's update rules, written from the algorithm boxes and the
 * single-tensor code paths of PyTorch 2.x, with PyTorch's defaults for every option a test case leaves out.
 */
final class References {
    private References() {
    }

    /** Fresh reference state for optimizer {@code name} with the raw options of a test case. */
    static Trajectory.Reference of(String name, Map<String, Object> raw) {
        Settings s = new Settings(raw);
        return switch (name) {
            case "sgd" -> sgd(s.number("momentum", 0), s.number("dampening", 0), s.flag("nesterov"), s.number("weight-decay", 0));
            case "adagrad" -> adagrad(s.number("lr-decay", 0), s.number("weight-decay", 0),
                    s.number("initial-accumulator", 0), s.number("eps", 1e-10));
            case "rmsprop" -> rmsprop(s.number("alpha", 0.99), s.number("eps", 1e-8), s.number("weight-decay", 0),
                    s.number("momentum", 0), s.flag("centered"));
            case "adam", "adamw" -> adam(s.betas(), s.number("eps", 1e-8),
                    s.number("weight-decay", name.equals("adamw") ? 1e-2 : 0), s.flag("amsgrad"), name.equals("adamw"));
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** PyTorch's default learning rate of optimizer {@code name}, or the case's own. */
    static double lr(String name, Map<String, Object> raw) {
        return new Settings(raw).number("lr", switch (name) {
            case "sgd", "adam", "adamw" -> 1e-3;
            case "adagrad", "rmsprop" -> 1e-2;
            default -> throw new IllegalArgumentException(name);
        });
    }

    private record Settings(Map<String, Object> raw) {
        double number(String key, double torchDefault) {
            return raw.containsKey(key) ? ((Number) raw.get(key)).doubleValue() : torchDefault;
        }

        boolean flag(String key) {
            return Boolean.TRUE.equals(raw.get(key));
        }

        double[] betas() {
            if (!raw.containsKey("betas")) {
                return new double[] {0.9, 0.999};
            }
            List<?> b = (List<?>) raw.get("betas");
            return new double[] {((Number) b.get(0)).doubleValue(), ((Number) b.get(1)).doubleValue()};
        }
    }

    static Trajectory.Reference sgd(double momentum, double dampening, boolean nesterov, double weightDecay) {
        double[] buf = new double[Trajectory.START.length];
        return (w, grad, t, lr) -> {
            double[] next = w.clone();
            for (int i = 0; i < w.length; i++) {
                double g = grad[i] + weightDecay * w[i];
                if (momentum != 0) {
                    buf[i] = t == 1 ? g : momentum * buf[i] + (1 - dampening) * g;
                    g = nesterov ? g + momentum * buf[i] : buf[i];
                }
                next[i] -= lr * g;
            }
            return next;
        };
    }

    static Trajectory.Reference adagrad(double lrDecay, double weightDecay, double initialAccumulator, double eps) {
        double[] sum = new double[Trajectory.START.length];
        Arrays.fill(sum, initialAccumulator);
        return (w, grad, t, lr) -> {
            double clr = lr / (1 + (t - 1) * lrDecay);
            double[] next = w.clone();
            for (int i = 0; i < w.length; i++) {
                double g = grad[i] + weightDecay * w[i];
                sum[i] += g * g;
                next[i] -= clr * g / (Math.sqrt(sum[i]) + eps);
            }
            return next;
        };
    }

    static Trajectory.Reference rmsprop(double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        double[][] state = new double[3][Trajectory.START.length]; // square average, gradient average, momentum buffer
        return (w, grad, t, lr) -> {
            double[] next = w.clone();
            for (int i = 0; i < w.length; i++) {
                double g = grad[i] + weightDecay * w[i];
                state[0][i] = alpha * state[0][i] + (1 - alpha) * g * g;
                double avg;
                if (centered) {
                    state[1][i] = alpha * state[1][i] + (1 - alpha) * g;
                    avg = Math.sqrt(state[0][i] - state[1][i] * state[1][i]) + eps;
                } else {
                    avg = Math.sqrt(state[0][i]) + eps;
                }
                if (momentum > 0) {
                    state[2][i] = momentum * state[2][i] + g / avg;
                    next[i] -= lr * state[2][i];
                } else {
                    next[i] -= lr * g / avg;
                }
            }
            return next;
        };
    }

    static Trajectory.Reference adam(double[] betas, double eps, double weightDecay, boolean amsgrad, boolean decoupled) {
        double[][] state = new double[3][Trajectory.START.length]; // first moment, second moment, largest second moment
        return (w, grad, t, lr) -> {
            double bias1 = 1 - Math.pow(betas[0], t);
            double bias2 = 1 - Math.pow(betas[1], t);
            double[] next = w.clone();
            for (int i = 0; i < w.length; i++) {
                double g = grad[i];
                if (decoupled) {
                    next[i] *= 1 - lr * weightDecay;
                } else {
                    g += weightDecay * w[i];
                }
                state[0][i] = betas[0] * state[0][i] + (1 - betas[0]) * g;
                state[1][i] = betas[1] * state[1][i] + (1 - betas[1]) * g * g;
                double v = state[1][i];
                if (amsgrad) {
                    state[2][i] = Math.max(state[2][i], v);
                    v = state[2][i];
                }
                next[i] -= lr / bias1 * state[0][i] / (Math.sqrt(v) / Math.sqrt(bias2) + eps);
            }
            return next;
        };
    }
}
