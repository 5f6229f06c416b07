package dev.theta.backend.cpu.kernels;

/** {@code cond ? a : b} with broadcasting; cond is bool (0/1 floats), a and b float32 or int64. */
public final class WhereKernel extends StridedLoop {
    private final Buf cond;
    private final Buf a;
    private final Buf b;
    private final Buf out;
    private float[] c;

    public WhereKernel(Buf cond, int[] cDims, Buf a, int[] aDims, Buf b, int[] bDims, Buf out, int[] outDims) {
        super(outDims, new int[][] {Strides.rowMajor(outDims), Strides.broadcast(cDims, outDims),
                Strides.broadcast(aDims, outDims), Strides.broadcast(bDims, outDims)});
        this.cond = cond;
        this.a = a;
        this.b = b;
        this.out = out;
    }

    @Override
    protected void begin() {
        c = cond.floats();
    }

    @Override
    protected void row(int[] off) {
        int oo = off[0];
        int co = off[1];
        int ao = off[2];
        int bo = off[3];
        int cs = innerStride[1];
        int as = innerStride[2];
        int bs = innerStride[3];
        int n = inner;
        if (out.isInteger()) {
            long[] o = out.longs();
            long[] x = a.longs();
            long[] y = b.longs();
            for (int i = 0; i < n; i++) {
                o[oo + i] = c[co + i * cs] != 0 ? x[ao + i * as] : y[bo + i * bs];
            }
        } else {
            float[] o = out.floats();
            float[] x = a.floats();
            float[] y = b.floats();
            for (int i = 0; i < n; i++) {
                o[oo + i] = c[co + i * cs] != 0 ? x[ao + i * as] : y[bo + i * bs];
            }
        }
    }
}
