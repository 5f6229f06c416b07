package dev.theta.hypotheses;

import dev.theta.api.graph.BatchNorm;
import dev.theta.api.graph.Value;
import dev.theta.api.ops.Window;
import dev.theta.api.options.OptionException;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.Shape;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One entry of the {@code cnn} hypothesis's {@code layers}: parsed from the config, checked against the shape it
 * receives (one example's [C, H, W], or [F] once flattened), then built with primitives.
 */
sealed interface CnnLayer {
    /** The shape this layer gives for {@code in}; throws {@link IllegalArgumentException} where it does not fit. */
    Shape out(Shape in);

    /** Builds the layer on a batch; {@code suffix} names its parameters (W1, b1, ...). */
    Value apply(Value h, Parameters p, String suffix, String init);

    default boolean hasParameters() {
        return false;
    }

    /** {conv: O, kernel, stride, pad, dilation, group, bias}: weights [O, C/group, k, k], He-initialised by default. */
    record Conv(int channels, int kernel, Window window, int group, boolean bias) implements CnnLayer {
        @Override
        public Shape out(Shape in) {
            int c = image(in, "conv");
            if (c % group != 0 || channels % group != 0) {
                throw new IllegalArgumentException("group " + group + " must divide the " + c + " input and "
                        + channels + " output channels");
            }
            return Shape.of(channels, window.outputSize(0, in.dim(1), kernel), window.outputSize(1, in.dim(2), kernel));
        }

        @Override
        public Value apply(Value h, Parameters p, String suffix, String init) {
            int perGroup = h.shape().dim(1) / group;
            int fanIn = perGroup * kernel * kernel;
            int fanOut = channels * kernel * kernel;
            Value w = p.create("W" + suffix, Shape.of(channels, perGroup, kernel, kernel), fanIn, fanOut,
                    Initializers.named(init));
            Value y = h.conv(w, window, group);
            return bias ? y.add(p.create("b" + suffix, Shape.of(channels, 1, 1), fanIn, fanOut, Initializers.bias(init)))
                    : y;
        }

        @Override
        public boolean hasParameters() {
            return true;
        }
    }

    /** {maxpool: k, stride, pad} or {avgpool: k, stride, pad}; the stride defaults to k. */
    record Pool(boolean max, int kernel, Window window) implements CnnLayer {
        @Override
        public Shape out(Shape in) {
            int c = image(in, max ? "maxpool" : "avgpool");
            return Shape.of(c, window.outputSize(0, in.dim(1), kernel), window.outputSize(1, in.dim(2), kernel));
        }

        @Override
        public Value apply(Value h, Parameters p, String suffix, String init) {
            return max ? h.maxPool(kernel, kernel, window) : h.averagePool(kernel, kernel, window, false);
        }
    }

    /** {@code globalavgpool}: each channel's mean, [C, 1, 1]. */
    record GlobalAveragePool() implements CnnLayer {
        @Override
        public Shape out(Shape in) {
            return Shape.of(image(in, "globalavgpool"), 1, 1);
        }

        @Override
        public Value apply(Value h, Parameters p, String suffix, String init) {
            return h.globalAveragePool();
        }
    }

    /** {@code flatten}: [C, H, W] to [C·H·W]. */
    record Flatten() implements CnnLayer {
        @Override
        public Shape out(Shape in) {
            return Shape.of(in.size());
        }

        @Override
        public Value apply(Value h, Parameters p, String suffix, String init) {
            return h.flatten();
        }
    }

    /** {dense: n, bias}: an affine layer on flat features. */
    record FullyConnected(int units, boolean bias) implements CnnLayer {
        @Override
        public Shape out(Shape in) {
            if (in.rank() != 1) {
                throw new IllegalArgumentException("dense needs flat features but gets " + in + "; put flatten before it");
            }
            return Shape.of(units);
        }

        @Override
        public Value apply(Value h, Parameters p, String suffix, String init) {
            return Dense.layer(p, h, suffix, h.shape().dim(1), units, init, bias);
        }

        @Override
        public boolean hasParameters() {
            return true;
        }
    }

    /** relu, tanh, sigmoid or gelu, elementwise. */
    record Nonlinearity(Activation activation) implements CnnLayer {
        @Override
        public Shape out(Shape in) {
            return in;
        }

        @Override
        public Value apply(Value h, Parameters p, String suffix, String init) {
            return activation.apply(h);
        }
    }

    /**
     * {dropout: p}: PyTorch's nn.Dropout(p), elementwise on images or flat features: in the training step each value
     * is zeroed with probability p and the others scaled by 1 / (1 − p); the identity in evaluation and prediction.
     */
    record Dropout(double probability) implements CnnLayer {
        @Override
        public Shape out(Shape in) {
            return in;
        }

        @Override
        public Value apply(Value h, Parameters p, String suffix, String init) {
            return p.dropout(h, probability);
        }
    }

    /**
     * {@code batchnorm} or {batchnorm: {momentum: 0.1, eps: 1e-5}}: PyTorch's nn.BatchNorm2d on images, nn.BatchNorm1d
     * on flat features; parameters bn<i>.weight and bn<i>.bias, running statistics bn<i>.running_mean and
     * bn<i>.running_var (see {@link Parameters#batchNorm}).
     */
    record BatchNormalization(double momentum, double eps) implements CnnLayer {
        @Override
        public Shape out(Shape in) {
            return in;
        }

        @Override
        public Value apply(Value h, Parameters p, String suffix, String init) {
            return p.batchNorm("bn" + suffix, h, momentum, eps);
        }

        @Override
        public boolean hasParameters() {
            return true;
        }
    }

    private static int image(Shape in, String layer) {
        if (in.rank() != 3) {
            throw new IllegalArgumentException(layer + " needs [C, H, W] images but gets " + in + " (after flatten)");
        }
        return in.dim(0);
    }

    /** Parses the layer at config path {@code path}: a name (relu, flatten, ...) or a map keyed by its kind. */
    static CnnLayer parse(Object item, String path) {
        if (item instanceof String name) {
            return switch (name) {
                case "flatten" -> new Flatten();
                case "globalavgpool" -> new GlobalAveragePool();
                case "batchnorm" -> new BatchNormalization(BatchNorm.MOMENTUM, BatchNorm.EPS);
                default -> {
                    if (!Activation.labels().contains(name)) {
                        throw new OptionException(path, item, "expected one of " + String.join(", ", Activation.labels())
                                + ", flatten, globalavgpool, batchnorm, or a map such as {conv: 32, kernel: 3}");
                    }
                    yield new Nonlinearity(Activation.of(name));
                }
            };
        }
        if (!(item instanceof Map<?, ?> map)) {
            throw new OptionException(path, item, "expected a layer name or a map such as {conv: 32, kernel: 3}");
        }
        Set<String> kinds = new LinkedHashSet<>(List.of("conv", "maxpool", "avgpool", "dense", "dropout", "batchnorm"));
        kinds.retainAll(map.keySet());
        if (kinds.size() != 1) {
            throw new OptionException(path, "a layer map needs exactly one of conv, maxpool, avgpool, dense, dropout,"
                    + " batchnorm; got " + map.keySet());
        }
        String kind = kinds.iterator().next();
        LayerKeys keys = new LayerKeys(map, path);
        return switch (kind) {
            case "conv" -> {
                keys.allow("conv", "kernel", "stride", "pad", "dilation", "group", "bias");
                int kernel = keys.integer("kernel", 3, 1);
                yield new Conv(keys.required("conv"), kernel, Window.of(keys.integer("stride", 1, 1),
                        keys.integer("pad", 0, 0), keys.integer("dilation", 1, 1)), keys.integer("group", 1, 1),
                        keys.bool("bias", true));
            }
            case "maxpool", "avgpool" -> {
                keys.allow(kind, "stride", "pad");
                int kernel = keys.required(kind);
                int pad = keys.integer("pad", 0, 0);
                if (pad >= kernel) {
                    throw new OptionException(path + ".pad", pad, "must be smaller than the " + kernel + "x" + kernel
                            + " window");
                }
                yield new Pool(kind.equals("maxpool"), kernel, Window.of(keys.integer("stride", kernel, 1), pad, 1));
            }
            case "dropout" -> {
                keys.allow("dropout");
                yield new Dropout(keys.probability("dropout"));
            }
            case "batchnorm" -> {
                keys.allow("batchnorm");
                yield batchNorm(map.get("batchnorm"), path + ".batchnorm");
            }
            default -> {
                keys.allow("dense", "bias");
                yield new FullyConnected(keys.required("dense"), keys.bool("bias", true));
            }
        };
    }

    /** The options map of {batchnorm: {momentum, eps}} (null or {} for the defaults). */
    private static BatchNormalization batchNorm(Object options, String path) {
        if (options == null) {
            return new BatchNormalization(BatchNorm.MOMENTUM, BatchNorm.EPS);
        }
        if (!(options instanceof Map<?, ?> map)) {
            throw new OptionException(path, options, "expected a map such as {momentum: 0.1, eps: 1e-5}, or write"
                    + " batchnorm alone for those defaults");
        }
        LayerKeys keys = new LayerKeys(map, path);
        keys.allow("momentum", "eps");
        double momentum = keys.real("momentum", BatchNorm.MOMENTUM);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new OptionException(path + ".momentum", map.get("momentum"), "must be in [0, 1]");
        }
        double eps = keys.real("eps", BatchNorm.EPS);
        if (!(eps > 0 && Double.isFinite(eps))) {
            throw new OptionException(path + ".eps", map.get("eps"), "must be positive");
        }
        return new BatchNormalization(momentum, eps);
    }

    /** The keys of one layer map, read with their config paths in errors. */
    final class LayerKeys {
        private final Map<?, ?> map;
        private final String path;

        LayerKeys(Map<?, ?> map, String path) {
            this.map = map;
            this.path = path;
        }

        void allow(String... known) {
            for (Object key : map.keySet()) {
                if (!List.of(known).contains(key)) {
                    throw new OptionException(path + "." + key, "unknown key for this layer; known keys: "
                            + String.join(", ", known));
                }
            }
        }

        /** The positive integer at {@code key}, which must be there (the layer's size). */
        int required(String key) {
            if (map.get(key) == null) {
                throw new OptionException(path + "." + key, "needs a positive integer");
            }
            return integer(key, 1, 1);
        }

        /** The integer at {@code key}, at least {@code min}; {@code fallback} when absent. */
        int integer(String key, int fallback, int min) {
            Object v = map.get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new OptionException(path + "." + key, v, "expected an integer");
            }
            if (n.doubleValue() < min || n.doubleValue() > Integer.MAX_VALUE) {
                throw new OptionException(path + "." + key, v, "must be at least " + min);
            }
            return n.intValue();
        }

        /** The probability in [0, 1) at {@code key}, which must be there. */
        double probability(String key) {
            Object v = map.get(key);
            if (!(v instanceof Number n) || !(n.doubleValue() >= 0 && n.doubleValue() < 1)) {
                throw new OptionException(path + "." + key, v, "must be a probability in [0, 1)");
            }
            return n.doubleValue();
        }

        /** The number at {@code key}; {@code fallback} when absent. */
        double real(String key, double fallback) {
            Object v = map.get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Number n)) {
                throw new OptionException(path + "." + key, v, "expected a number");
            }
            return n.doubleValue();
        }

        boolean bool(String key, boolean fallback) {
            Object v = map.get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Boolean b)) {
                throw new OptionException(path + "." + key, v, "expected true or false");
            }
            return b;
        }
    }
}
