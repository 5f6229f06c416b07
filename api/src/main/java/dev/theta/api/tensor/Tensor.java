package dev.theta.api.tensor;

import java.util.Arrays;

/**
 * A dense row-major tensor with a concrete shape. Float32 and bool data live in a {@code float[]} (bool as 0/1),
 * int64 data in a {@code long[]}. The arrays are exposed on purpose: backends and datasets fill them in place so
 * that a training step copies nothing it does not have to.
 */
public final class Tensor {
    private final Shape shape;
    private final DType dtype;
    private final float[] floats;
    private final long[] longs;

    private Tensor(Shape shape, DType dtype, float[] floats, long[] longs) {
        this.shape = shape;
        this.dtype = dtype;
        this.floats = floats;
        this.longs = longs;
    }

    public static Tensor zeros(DType dtype, Shape shape) {
        int n = shape.size();
        return dtype == DType.INT64 ? new Tensor(shape, dtype, null, new long[n]) : new Tensor(shape, dtype, new float[n], null);
    }

    public static Tensor of(Shape shape, float... data) {
        return wrap(DType.FLOAT32, shape, data);
    }

    public static Tensor of(Shape shape, long... data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException(data.length + " values for shape " + shape);
        }
        return new Tensor(shape, DType.INT64, null, data);
    }

    public static Tensor scalar(float value) {
        return of(Shape.SCALAR, value);
    }

    /** Wraps (does not copy) float data of type float32 or bool. */
    public static Tensor wrap(DType dtype, Shape shape, float[] data) {
        if (dtype == DType.INT64) {
            throw new IllegalArgumentException("int64 tensors hold long[] data");
        }
        if (data.length != shape.size()) {
            throw new IllegalArgumentException(data.length + " values for shape " + shape);
        }
        return new Tensor(shape, dtype, data, null);
    }

    public Shape shape() {
        return shape;
    }

    public DType dtype() {
        return dtype;
    }

    public int size() {
        return dtype == DType.INT64 ? longs.length : floats.length;
    }

    /** The backing array of a float32 or bool tensor. */
    public float[] floats() {
        if (floats == null) {
            throw new IllegalStateException("tensor of type " + dtype + " has no float data");
        }
        return floats;
    }

    /** The backing array of an int64 tensor. */
    public long[] longs() {
        if (longs == null) {
            throw new IllegalStateException("tensor of type " + dtype + " has no int64 data");
        }
        return longs;
    }

    /** Element {@code i} (row-major) as a double, whatever the type. */
    public double get(int i) {
        return longs != null ? longs[i] : floats[i];
    }

    public Tensor copy() {
        return new Tensor(shape, dtype, floats == null ? null : floats.clone(), longs == null ? null : longs.clone());
    }

    /** Copies the data of {@code other}, which must have this tensor's type and size. */
    public void copyFrom(Tensor other) {
        if (other.dtype != dtype || other.size() != size()) {
            throw new IllegalArgumentException("cannot copy " + other.dtype + other.shape + " into " + dtype + shape);
        }
        if (floats != null) {
            System.arraycopy(other.floats, 0, floats, 0, floats.length);
        } else {
            System.arraycopy(other.longs, 0, longs, 0, longs.length);
        }
    }

    @Override
    public String toString() {
        String data = floats != null ? Arrays.toString(Arrays.copyOf(floats, Math.min(8, floats.length)))
                : Arrays.toString(Arrays.copyOf(longs, Math.min(8, longs.length)));
        return dtype + shape.toString() + (size() > 8 ? data.replace("]", ", ...]") : data);
    }
}
