package dev.theta.backend.cpu.kernels;

import java.util.Arrays;

/**
 * ScatterElements with reduction "add": out = data, then updates added at the indexed positions along the axis, in
 * row-major order of the indices. Data and indices agree outside the axis, so a position splits into
 * (outer, axis, inner) for both.
 *
 * <p>MaxPool's gradient scatters into the flat input, each image plane's updates into that plane only. Told the
 * number of planes, the kernel splits them into fixed ranges over threads: each copies its part of data and adds
 * its part of the updates, in the same order as one thread, so the result does not depend on the thread count.
 *
 * <p>Two more things the schedule may know: that data is all zeros (then it is filled, not copied), and that the
 * scatter's result is multiplied by {@code mask > 0 ? 1 : 0} of the tensor pooled (the ReLU before a MaxPool): that
 * product is then taken at the scattered positions only, each after all its updates, where everywhere else
 * 0 · m = 0 already, so the bits are the product's ({@code Schedule#maskedScatters}). Where the schedule has the
 * pooling's values, the mask is read from them in the updates' order (the value of update p is m at its position),
 * not at the scattered positions; and where the windows are disjoint, each position gets one update at most, so the
 * add and the mask are one pass: (0 + u) · (v > 0 ? 1 : 0), the same bits as the two.
 */
public final class ScatterElementsKernel implements Kernel {
    /** Below this many output elements one thread copies and scatters faster than two can start. */
    private static final int PARALLEL_MIN_SIZE = 1 << 16;

    private final Buf data;
    private final Buf indices;
    private final Buf updates;
    private final Buf out;
    private final int size;
    private final int count;
    private final int limit;
    private final int picks;
    private final int inner;
    private final int planes;
    private final int threads;
    private final Parallel.Job ranges;
    private final boolean zeroData;
    /** The tensor whose positive elements keep their scattered sums, or null. */
    private final Buf mask;
    private final boolean maskAtUpdates;
    private final boolean oneUpdateEach;

    /**
     * The mask of a MaxPool gradient's scatter: {@code tensor} > 0, read at the scattered positions (the tensor
     * pooled) or at the updates' (its pooled values, {@code atUpdates}); {@code disjoint}: the pooling's windows do not
     * overlap, so that no position gets two updates.
     */
    public record Mask(Buf tensor, boolean atUpdates, boolean disjoint) {
    }

    /**
     * @param planes for a flat scatter, the number of equal planes that each index only within its own (MaxPool's
     *               positions: N·C image planes), or 1
     */
    public ScatterElementsKernel(Buf data, int[] dataDims, int axis, Buf indices, int[] indexDims, Buf updates,
                                 Buf out, int planes, int maxThreads, boolean zeroData, Mask mask) {
        this.zeroData = zeroData;
        this.mask = mask == null ? null : mask.tensor();
        this.maskAtUpdates = mask != null && mask.atUpdates();
        this.oneUpdateEach = mask != null && mask.disjoint() && zeroData;
        this.data = data;
        this.indices = indices;
        this.updates = updates;
        this.out = out;
        this.size = Strides.size(dataDims);
        this.count = Strides.size(indexDims);
        this.limit = dataDims[axis];
        this.picks = indexDims[axis];
        int in = 1;
        for (int d = axis + 1; d < dataDims.length; d++) {
            in *= dataDims[d];
        }
        this.inner = in;
        boolean split = inner == 1 && picks == count && planes > 1 && size % planes == 0 && count % planes == 0;
        this.planes = split ? planes : 1;
        this.threads = split && size >= PARALLEL_MIN_SIZE ? Math.min(maxThreads, planes) : 1;
        this.ranges = threads > 1 ? new Parallel.Job(threads, this::range) : null;
    }

    @Override
    public String describe() {
        return "ScatterElements " + count + " into " + size + (zeroData ? " zeros" : "")
                + (mask == null ? "" : maskAtUpdates ? ", masked by pooled values > 0" : ", masked by > 0")
                + (oneUpdateEach ? " in one pass" : "") + (planes > 1 ? ", " + planes + " planes" : "") + ", "
                + threads + " thread(s)";
    }

    @Override
    public void run() {
        if (ranges != null) {
            Parallel.of(threads).run(ranges);
        } else {
            serial();
        }
    }

    /** Planes [from, to) of part {@code part}: their data, then their updates, which index nowhere else. */
    private void range(int part) {
        float[] y = out.floats();
        float[] u = updates.floats();
        long[] idx = indices.longs();
        int from = Parallel.start(part, threads, planes, 1);
        int to = Parallel.start(part + 1, threads, planes, 1);
        int planeSize = size / planes;
        int planeCount = count / planes;
        int lo = from * planeSize;
        int hi = to * planeSize;
        start(y, lo, hi);
        int first = from * planeCount;
        int end = to * planeCount;
        if (oneUpdateEach) {
            float[] m = mask.floats();
            for (int p = first; p < end; p++) {
                int k = inPlanes(idx, p, lo, hi);
                // y[k] is 0 here, and (0 + u) keeps the sum's sign of zero: 0 + (−0) is +0.
                y[k] = (0f + u[p]) * (m[maskAtUpdates ? p : k] > 0f ? 1f : 0f);
            }
            return;
        }
        for (int p = first; p < end; p++) {
            y[inPlanes(idx, p, lo, hi)] += u[p];
        }
        applyMask(y, idx, first, end);
    }

    /** Position p's index, checked to lie in its part's planes [lo, hi). */
    private int inPlanes(long[] idx, int p, int lo, int hi) {
        int k = Indices.check("ScatterElements", idx[p], limit, p);
        if (k < lo || k >= hi) {
            throw new IllegalStateException("ScatterElements: index " + k + " at position " + p
                    + " is outside its plane's range [" + lo + ", " + hi + ")");
        }
        return k;
    }

    private void start(float[] y, int lo, int hi) {
        if (zeroData) {
            Arrays.fill(y, lo, hi, 0f);
        } else {
            System.arraycopy(data.floats(), lo, y, lo, hi - lo);
        }
    }

    /** y[k] · (m[k] > 0 ? 1 : 0) at the positions of [first, end), after all their updates (a second time is a no-op). */
    private void applyMask(float[] y, long[] idx, int first, int end) {
        if (mask == null) {
            return;
        }
        float[] m = mask.floats();
        for (int p = first; p < end; p++) {
            int k = (int) idx[p];
            y[k] = y[k] * (m[maskAtUpdates ? p : k] > 0f ? 1f : 0f);
        }
    }

    private void serial() {
        float[] y = out.floats();
        float[] u = updates.floats();
        long[] idx = indices.longs();
        start(y, 0, size);
        if (inner == 1 && picks == count) {
            // One row (a flat scatter): no position to split.
            for (int p = 0; p < count; p++) {
                y[Indices.check("ScatterElements", idx[p], limit, p)] += u[p];
            }
            applyMask(y, idx, 0, count);
            return;
        }
        if (mask != null) {
            throw new IllegalStateException("a masked scatter is a flat one");
        }
        for (int p = 0; p < count; p++) {
            int outer = p / (picks * inner);
            int r = p % inner;
            int k = Indices.check("ScatterElements", idx[p], limit, p);
            y[(outer * limit + k) * inner + r] += u[p];
        }
    }
}
