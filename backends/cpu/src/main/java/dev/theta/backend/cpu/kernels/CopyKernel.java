package dev.theta.backend.cpu.kernels;

/**
 * Copies elements between two strided views: the layout ops (Transpose, Expand, Slice, each part of a Concat) and
 * copies of values into dedicated output slots are all this one kernel with different strides and offsets.
 */
public final class CopyKernel extends StridedLoop {
    private final Buf from;
    private final Buf to;

    /**
     * @param shape the shape walked, in the destination's order
     * @param toStrides destination strides, {@code toBase} its first element
     * @param fromStrides source strides for the same walk (0 where the source repeats)
     */
    public CopyKernel(Buf from, int[] fromStrides, int fromBase, Buf to, int[] toStrides, int toBase, int[] shape) {
        super(shape, new int[][] {toStrides, fromStrides}, new int[] {toBase, fromBase});
        this.from = from;
        this.to = to;
    }

    /**
     * This copy with its rows split over {@code threads} when it moves at least {@link #SPLIT_MIN} elements (the
     * transformer's head transposes and gradient concats, 98 K elements each, ran on one thread while the other
     * waited); otherwise this copy as it is.
     */
    public CopyKernel split(int threads) {
        splitRows(threads);
        return this;
    }

    /** A plain copy of {@code n} elements. */
    public static CopyKernel contiguous(Buf from, Buf to, int n) {
        return new CopyKernel(from, new int[] {1}, 0, to, new int[] {1}, 0, new int[] {n});
    }

    @Override
    public String describe() {
        return "CopyKernel " + layout() + " (dimensions, destination strides, source strides)" + splitNote();
    }

    @Override
    protected void begin() {
    }

    @Override
    protected void row(int[] off) {
        int to0 = off[0];
        int from0 = off[1];
        int ts = innerStride[0];
        int fs = innerStride[1];
        int n = inner;
        if (from.isInteger()) {
            long[] x = from.longs();
            long[] y = to.longs();
            if (ts == 1 && fs == 1) {
                System.arraycopy(x, from0, y, to0, n);
            } else {
                for (int i = 0; i < n; i++) {
                    y[to0 + i * ts] = x[from0 + i * fs];
                }
            }
        } else {
            float[] x = from.floats();
            float[] y = to.floats();
            if (ts == 1 && fs == 1) {
                System.arraycopy(x, from0, y, to0, n);
            } else if (ts == 1 && fs == 0) {
                java.util.Arrays.fill(y, to0, to0 + n, x[from0]);
            } else {
                for (int i = 0; i < n; i++) {
                    y[to0 + i * ts] = x[from0 + i * fs];
                }
            }
        }
    }
}
