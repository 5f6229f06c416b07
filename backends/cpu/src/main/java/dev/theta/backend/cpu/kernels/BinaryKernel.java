package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.BinaryFn;
import dev.theta.api.ops.CompareFn;

/**
 * A broadcasting binary function or comparison on float32 or int64 operands. Each row is dispatched once to a
 * vector-vector, vector-scalar or scalar-vector loop: the innermost row stride of an operand is 1 where it varies
 * and 0 where it is broadcast.
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

    private BinaryKernel(BinaryFn fn, CompareFn compare, Buf a, int[] aDims, Buf b, int[] bDims, Buf out, int[] outDims) {
        super(outDims, new int[][] {Strides.rowMajor(outDims), Strides.broadcast(aDims, outDims),
                Strides.broadcast(bDims, outDims)});
        this.fn = fn;
        this.compare = compare;
        this.integer = a.isInteger();
        this.a = a;
        this.b = b;
        this.out = out;
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
        if (compare != null) {
            if (integer) {
                if (aVaries && bVaries) LongOps.compareVV(compare, al, ao, bl, bo, of, oo, n);
                else if (aVaries) LongOps.compareVS(compare, al, ao, bl[bo], of, oo, n);
                else LongOps.compareSV(compare, al[ao], bl, bo, of, oo, n);
            } else {
                if (aVaries && bVaries) FloatOps.compareVV(compare, af, ao, bf, bo, of, oo, n);
                else if (aVaries) FloatOps.compareVS(compare, af, ao, bf[bo], of, oo, n);
                else FloatOps.compareSV(compare, af[ao], bf, bo, of, oo, n);
            }
        } else if (integer) {
            if (aVaries && bVaries) LongOps.vv(fn, al, ao, bl, bo, ol, oo, n);
            else if (aVaries) LongOps.vs(fn, al, ao, bl[bo], ol, oo, n);
            else LongOps.sv(fn, al[ao], bl, bo, ol, oo, n);
        } else {
            if (aVaries && bVaries) FloatOps.vv(fn, af, ao, bf, bo, of, oo, n);
            else if (aVaries) FloatOps.vs(fn, af, ao, bf[bo], of, oo, n);
            else FloatOps.sv(fn, af[ao], bf, bo, of, oo, n);
        }
    }
}
