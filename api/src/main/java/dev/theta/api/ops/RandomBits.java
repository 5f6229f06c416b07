package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;

import java.util.Arrays;
import java.util.List;

/**
 * Counter-based random bits: an int64 tensor of the shape of input 0 (read for its shape only) whose element at flat
 * index i is {@link #bits bits(stream, counter, i)}, a whole number in [0, 2<sup>31</sup>), with {@code counter} the
 * int64 scalar input 1. Nothing is stored between runs: the same (stream, counter, index) always gives the same bits,
 * which is what makes dropout masks reproducible on resume and equal across backends.
 *
 * <p>The function is a keyed permutation of 31-bit words, {@link #ROUNDS} rounds of: add the round key (mod
 * 2<sup>31</sup>), the Klimov–Shamir T-function x · (2x + 1) (mod 2<sup>31</sup>, invertible and non-linear), rotate
 * right within 31 bits. Every intermediate stays below 2<sup>63</sup>, so the definition needs nothing but int64
 * addition, multiplication, division and remainder of non-negative numbers: ONNX opset 17 has those (it lacks bitwise
 * xor), which lets the ONNX lowering draw the very same bits. ONNX has no such operator; {@link #onnxName} names the
 * primitive only.
 */
public record RandomBits(long stream) implements Op {
    /** Bits per word; results lie in [0, {@link #RANGE}). */
    public static final int BITS = 31;
    public static final long RANGE = 1L << BITS;
    public static final int ROUNDS = 4;
    /** Right rotations of the rounds, in bits. */
    public static final int[] ROTATIONS = {16, 13, 17, 11};
    /** Added to the key after each round (the fractional bits of the golden ratio, to 31 bits). */
    public static final long WEYL = 0x3C6EF372L & (RANGE - 1);

    public RandomBits {
        if (stream < 0 || stream >= RANGE) {
            throw new IllegalArgumentException("stream must be in [0, 2^31): " + stream);
        }
    }

    @Override
    public String onnxName() {
        return "RandomBits";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 2);
        TensorType counter = inputs.get(1);
        if (counter.dtype() != DType.INT64 || !counter.shape().equals(Shape.SCALAR)) {
            throw new IllegalArgumentException("the counter must be an int64 scalar, got " + counter);
        }
        return inputs.get(0).withDType(DType.INT64);
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        return Arrays.asList(null, null);
    }

    /** Element {@code index}'s bits for {@code counter} in {@code stream}: {@code permute(index, key(stream, counter))}. */
    public static long bits(long stream, long counter, long index) {
        return permute(Math.floorMod(index, RANGE), key(stream, counter));
    }

    /** The key of one counter value: {@code permute(counter mod 2^31, stream)}. */
    public static long key(long stream, long counter) {
        return permute(Math.floorMod(counter, RANGE), stream);
    }

    /** The keyed permutation of [0, 2^31); {@code x} and {@code key} must lie in that range. */
    public static long permute(long x, long key) {
        long k = key;
        for (int round = 0; round < ROUNDS; round++) {
            x = (x + k) % RANGE;
            x = x * (2 * x + 1) % RANGE;
            int r = ROTATIONS[round];
            x = (x >> r) + (x & ((1L << r) - 1)) * (1L << (BITS - r));
            k = (k + WEYL) % RANGE;
        }
        return x;
    }

    /**
     * A stream for one user of random bits in a run: SplitMix64's {@code site + 1}-th output from state {@code seed}, to
     * 31 bits, so that call sites of one run, and runs of different seeds, draw unrelated bits.
     */
    public static long stream(long seed, int site) {
        long z = seed + 0x9E3779B97F4A7C15L * (site + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) >>> (64 - BITS);
    }
}
