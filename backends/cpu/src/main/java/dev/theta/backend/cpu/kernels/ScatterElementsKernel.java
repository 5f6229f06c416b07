package dev.theta.backend.cpu.kernels;

/**
 * ScatterElements with reduction "add": out = data, then updates added at the indexed positions along the axis, in
 * row-major order of the indices. Data and indices agree outside the axis, so a position splits into
 * (outer, axis, inner) for both.
 */
public final class ScatterElementsKernel implements Kernel {
    private final Buf data;
    private final Buf indices;
    private final Buf updates;
    private final Buf out;
    private final int size;
    private final int count;
    private final int limit;
    private final int picks;
    private final int inner;

    public ScatterElementsKernel(Buf data, int[] dataDims, int axis, Buf indices, int[] indexDims, Buf updates,
                                 Buf out) {
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
    }

    @Override
    public void run() {
        float[] y = out.floats();
        float[] u = updates.floats();
        long[] idx = indices.longs();
        System.arraycopy(data.floats(), 0, y, 0, size);
        if (inner == 1 && picks == count) {
            // One row (MaxPool's gradient scatters into the flat input): no position to split.
            for (int p = 0; p < count; p++) {
                y[Indices.check("ScatterElements", idx[p], limit, p)] += u[p];
            }
            return;
        }
        for (int p = 0; p < count; p++) {
            int outer = p / (picks * inner);
            int r = p % inner;
            int k = Indices.check("ScatterElements", idx[p], limit, p);
            y[(outer * limit + k) * inner + r] += u[p];
        }
    }
}
