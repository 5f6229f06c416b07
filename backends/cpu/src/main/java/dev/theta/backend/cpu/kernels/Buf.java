package dev.theta.backend.cpu.kernels;

import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

/**
 * A storage slot that kernels read and write. Kernels hold the slot, not the array, and load the array at the start
 * of each run: carrying an output into an input is then a swap of two slots' arrays, with no copying. Arrays may be
 * longer than the value a kernel stores in them (intermediate slots are reused for values of different sizes), so
 * kernels take element counts from their precomputed shapes, never from {@code array.length}.
 */
public final class Buf {
    private final boolean integer;
    private float[] floats;
    private long[] longs;
    private Tensor tensor;

    private Buf(boolean integer) {
        this.integer = integer;
    }

    /** A slot whose array is set later by {@link #allocate}. */
    public static Buf pending(DType dtype) {
        return new Buf(dtype == DType.INT64);
    }

    /** A slot exposed as a tensor (graph inputs and outputs, constants). */
    public static Buf of(Tensor tensor) {
        Buf b = new Buf(tensor.dtype() == DType.INT64);
        b.bind(tensor);
        return b;
    }

    public static Buf zeros(DType dtype, Shape shape) {
        return of(Tensor.zeros(dtype, shape));
    }

    public boolean isInteger() {
        return integer;
    }

    public void allocate(int capacity) {
        if (integer) {
            longs = new long[capacity];
        } else {
            floats = new float[capacity];
        }
    }

    private void bind(Tensor t) {
        tensor = t;
        floats = integer ? null : t.floats();
        longs = integer ? t.longs() : null;
    }

    public float[] floats() {
        return floats;
    }

    public long[] longs() {
        return longs;
    }

    /** The tensor view of a dedicated slot; null for pooled intermediates. */
    public Tensor tensor() {
        return tensor;
    }

    /** Exchanges the contents of two slots of one type and size (a carry). */
    public static void swap(Buf x, Buf y) {
        Tensor t = x.tensor;
        x.bind(y.tensor);
        y.bind(t);
    }
}
