package dev.theta.api.spi;

import dev.theta.api.tensor.Shape;

import java.util.Random;

/**
 * Fills a new parameter. {@code fanIn} and {@code fanOut} follow PyTorch: for a [in, out] weight, fan-in is in.
 * Initializers draw only from the given seeded {@link Random}, so runs with one seed start from one point.
 */
@FunctionalInterface
public interface Initializer {
    void fill(float[] data, Shape shape, int fanIn, int fanOut, Random random);

    Initializer ZEROS = (data, shape, fanIn, fanOut, random) -> java.util.Arrays.fill(data, 0f);

    Initializer ONES = (data, shape, fanIn, fanOut, random) -> java.util.Arrays.fill(data, 1f);

    /** U(-bound, bound). */
    static Initializer uniform(double bound) {
        return (data, shape, fanIn, fanOut, random) -> {
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
        };
    }

    /** N(0, std²). */
    static Initializer normal(double std) {
        return (data, shape, fanIn, fanOut, random) -> {
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (random.nextGaussian() * std);
            }
        };
    }

    /** PyTorch's nn.Linear default for weight and bias: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
    Initializer PYTORCH_LINEAR = (data, shape, fanIn, fanOut, random) ->
            uniform(1 / Math.sqrt(fanIn)).fill(data, shape, fanIn, fanOut, random);

    /** Glorot/Xavier uniform: U(-a, a), a = sqrt(6 / (fan_in + fan_out)). */
    Initializer XAVIER_UNIFORM = (data, shape, fanIn, fanOut, random) ->
            uniform(Math.sqrt(6.0 / (fanIn + fanOut))).fill(data, shape, fanIn, fanOut, random);

    /** He/Kaiming normal for ReLU: N(0, 2 / fan_in). */
    Initializer HE_NORMAL = (data, shape, fanIn, fanOut, random) ->
            normal(Math.sqrt(2.0 / fanIn)).fill(data, shape, fanIn, fanOut, random);
}
