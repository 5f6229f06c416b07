package dev.theta.backend.cpu.kernels;

/**
 * GatherElements along {@code axis}: out[.., j, ..] = data[.., indices[.., j, ..], ..]. Walks the indices' shape;
 * the data is read with its own strides except on {@code axis}, where the index picks the position.
 */
public final class GatherElementsKernel extends StridedLoop {
    private final Buf data;
    private final Buf indices;
    private final Buf out;
    private final int limit;
    private final int axisStride;

    public GatherElementsKernel(Buf data, int[] dataDims, int axis, Buf indices, int[] indexDims, Buf out) {
        super(indexDims, new int[][] {Strides.rowMajor(indexDims), Strides.rowMajor(indexDims),
                dataStridesOffAxis(dataDims, axis)});
        this.data = data;
        this.indices = indices;
        this.out = out;
        this.limit = dataDims[axis];
        this.axisStride = Strides.rowMajor(dataDims)[axis];
    }

    private static int[] dataStridesOffAxis(int[] dataDims, int axis) {
        int[] s = Strides.rowMajor(dataDims);
        s[axis] = 0;
        return s;
    }

    @Override
    protected void begin() {
    }

    @Override
    protected void row(int[] off) {
        int oo = off[0];
        int io = off[1];
        int dOff = off[2];
        int ds = innerStride[2];
        long[] idx = indices.longs();
        int n = inner;
        if (data.isInteger()) {
            long[] x = data.longs();
            long[] y = out.longs();
            for (int i = 0; i < n; i++) {
                y[oo + i] = x[dOff + i * ds + Indices.check("GatherElements", idx[io + i], limit, io + i) * axisStride];
            }
        } else {
            float[] x = data.floats();
            float[] y = out.floats();
            for (int i = 0; i < n; i++) {
                y[oo + i] = x[dOff + i * ds + Indices.check("GatherElements", idx[io + i], limit, io + i) * axisStride];
            }
        }
    }
}
