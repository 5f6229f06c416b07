package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.BinaryFn;
import dev.theta.api.ops.CompareFn;

/**
 * A broadcasting binary function or comparison on float32 or int64 operands. Each row is dispatched once to a
 * vector-vector, vector-scalar or scalar-vector loop: the innermost row stride of an operand is 1 where it varies
 * and 0 where it is broadcast. A float row whose varying operands start at other offsets than the output (a bias
 * added to each row of a matrix) is computed in chunks through scratch rows at offset 0, so that the loop
 * vectorises (see {@link FloatOps}).
 */
public final class BinaryKernel extends StridedLoop {
    private final BinaryFn fn;
    private final CompareFn compare;
    private final boolean integer;
    private final Buf a;
    private final Buf b;
    private final Buf out;
    private float[] af;
    private float[] bf;
    private long[] al;
    private long[] bl;
    private float[] of;
    private long[] ol;
    private final float[] scratchA;
    private final float[] scratchB;
    private final float[] scratchOut;

    private BinaryKernel(BinaryFn fn, CompareFn compare, Buf a, int[] aDims, Buf b, int[] bDims, Buf out, int[] outDims) {
        super(outDims, new int[][] {Strides.rowMajor(outDims), Strides.broadcast(aDims, outDims),
                Strides.broadcast(bDims, outDims)});
        this.fn = fn;
        this.compare = compare;
        this.integer = a.isInteger();
        this.a = a;
        this.b = b;
        this.out = out;
        int chunk = Math.min(FusedKernel.TILE, inner);
        boolean floats = !integer;
        this.scratchA = floats ? new float[chunk] : null;
        this.scratchB = floats ? new float[chunk] : null;
        this.scratchOut = floats ? new float[chunk] : null;
    }

    public static BinaryKernel arithmetic(BinaryFn fn, Buf a, int[] aDims, Buf b, int[] bDims, Buf out, int[] outDims) {
        return new BinaryKernel(fn, null, a, aDims, b, bDims, out, outDims);
    }

    public static BinaryKernel compare(CompareFn fn, Buf a, int[] aDims, Buf b, int[] bDims, Buf out, int[] outDims) {
        return new BinaryKernel(null, fn, a, aDims, b, bDims, out, outDims);
    }

    @Override
    protected void begin() {
        af = a.floats();
        bf = b.floats();
        al = a.longs();
        bl = b.longs();
        of = out.floats();
        ol = out.longs();
    }

    @Override
    protected void row(int[] off) {
        int oo = off[0];
        int ao = off[1];
        int bo = off[2];
        int n = inner;
        boolean aVaries = innerStride[1] != 0;
        boolean bVaries = innerStride[2] != 0 || !aVaries;
        if (integer) {
            if (compare != null) {
                if (aVaries && bVaries) LongOps.compareVV(compare, al, ao, bl, bo, of, oo, n);
                else if (aVaries) LongOps.compareVS(compare, al, ao, bl[bo], of, oo, n);
                else LongOps.compareSV(compare, al[ao], bl, bo, of, oo, n);
            } else {
                if (aVaries && bVaries) LongOps.vv(fn, al, ao, bl, bo, ol, oo, n);
                else if (aVaries) LongOps.vs(fn, al, ao, bl[bo], ol, oo, n);
                else LongOps.sv(fn, al[ao], bl, bo, ol, oo, n);
            }
            return;
        }
        if ((!aVaries || ao == oo) && (!bVaries || bo == oo)) {
            floats(af, aVaries, ao, bf, bVaries, bo, of, oo, n);
            return;
        }
        for (int c = 0; c < n; c += scratchOut.length) {
            int m = Math.min(scratchOut.length, n - c);
            if (aVaries) {
                System.arraycopy(af, ao + c, scratchA, 0, m);
            }
            if (bVaries) {
                System.arraycopy(bf, bo + c, scratchB, 0, m);
            }
            floats(aVaries ? scratchA : af, aVaries, ao, bVaries ? scratchB : bf, bVaries, bo, scratchOut, 0, m);
            System.arraycopy(scratchOut, 0, of, oo + c, m);
        }
    }

    /** A float row whose vector operands are aligned with the output at {@code off}; a scalar is read at its index. */
    private void floats(float[] x, boolean xVector, int xIndex, float[] y, boolean yVector, int yIndex, float[] o,
                        int off, int n) {
        if (compare != null) {
            if (xVector && yVector) FloatOps.compareVV(compare, x, y, o, off, n);
            else if (xVector) FloatOps.compareVS(compare, x, y[yIndex], o, off, n);
            else FloatOps.compareSV(compare, x[xIndex], y, o, off, n);
        } else {
            if (xVector && yVector) FloatOps.vv(fn, x, y, o, off, n);
            else if (xVector) FloatOps.vs(fn, x, y[yIndex], o, off, n);
            else FloatOps.sv(fn, x[xIndex], y, o, off, n);
        }
    }
}
