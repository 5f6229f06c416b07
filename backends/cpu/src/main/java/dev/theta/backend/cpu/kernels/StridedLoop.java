package dev.theta.backend.cpu.kernels;

import java.util.Arrays;

/**
 * Walks a shape in row-major order for several operands at once, each with its own strides and start offset, and
 * hands each innermost row to {@link #row}. Shapes are simplified at compile time: size-1 axes are dropped and
 * axes that are contiguous for every operand are merged, so a same-shape elementwise op becomes one long row and
 * {@code [N, k] + [k]} becomes N rows of k. Operand 0 is, by convention, the one written.
 */
public abstract class StridedLoop implements Kernel {
    private final int[] dims;
    private final int[][] strides;
    private final int[] bases;
    private final int[] counter;
    private final int[] offsets;
    private final int outerCount;
    /** Rows in pieces on several threads ({@link #splitRows}); null on one. */
    private Parallel.Job pieces;
    private int threads = 1;
    /** Elements in each row. */
    protected final int inner;
    /** Stride of each operand along the row. */
    protected final int[] innerStride;

    protected StridedLoop(int[] shape, int[][] operandStrides, int[] operandBases) {
        int ops = operandStrides.length;
        int[] d = new int[shape.length];
        int[][] s = new int[ops][shape.length];
        int r = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 1) {
                continue;
            }
            boolean merge = r > 0;
            for (int k = 0; k < ops && merge; k++) {
                merge = s[k][r - 1] == operandStrides[k][i] * shape[i];
            }
            if (merge) {
                d[r - 1] *= shape[i];
                for (int k = 0; k < ops; k++) {
                    s[k][r - 1] = operandStrides[k][i];
                }
            } else {
                d[r] = shape[i];
                for (int k = 0; k < ops; k++) {
                    s[k][r] = operandStrides[k][i];
                }
                r++;
            }
        }
        if (r == 0) {
            r = 1;
            d = new int[] {1};
            s = new int[ops][1];
        }
        this.dims = Arrays.copyOf(d, r);
        this.strides = new int[ops][];
        this.innerStride = new int[ops];
        for (int k = 0; k < ops; k++) {
            strides[k] = Arrays.copyOf(s[k], r);
            innerStride[k] = strides[k][r - 1];
        }
        this.bases = operandBases.clone();
        this.inner = dims[r - 1];
        this.counter = new int[r];
        this.offsets = new int[ops];
        int outer = 1;
        for (int i = 0; i < r - 1; i++) {
            outer = Math.multiplyExact(outer, dims[i]);
        }
        this.outerCount = outer;
    }

    protected StridedLoop(int[] shape, int[][] operandStrides) {
        this(shape, operandStrides, new int[operandStrides.length]);
    }

    /** Below this many elements one thread walks them sooner than two can start. */
    static final long SPLIT_MIN = 1 << 16;

    @Override
    public void run() {
        if (pieces == null) {
            walk();
        } else {
            begin();
            Parallel.of(threads).run(pieces);
            end();
        }
    }

    /**
     * Splits {@link #run}'s rows over {@code threads} when the walk covers at least {@link #SPLIT_MIN} elements; for
     * kernels whose {@link #row} writes only its own row and keeps no state between rows.
     */
    protected final void splitRows(int threads) {
        if (threads > 1 && (long) outerCount * inner >= SPLIT_MIN && outerCount >= 2 * threads) {
            this.threads = threads;
            int parts = 2 * threads;
            int[][] counters = new int[parts][dims.length];
            int[][] positions = new int[parts][bases.length];
            pieces = new Parallel.Job(parts, i -> walkRows(Parallel.start(i, parts, outerCount, 1),
                    Parallel.start(i + 1, parts, outerCount, 1), counters[i], positions[i]));
        }
    }

    /** ", N threads" where the rows are split, else empty: for {@link #describe}. */
    protected final String splitNote() {
        return pieces == null ? "" : ", " + threads + " threads";
    }

    /** The simplified walk: its dimensions, and each operand's strides along them. */
    protected String layout() {
        StringBuilder b = new StringBuilder(Arrays.toString(dims));
        for (int[] s : strides) {
            b.append(' ').append(Arrays.toString(s));
        }
        return b.toString();
    }

    /** Visits every row: {@link #begin}, {@link #row} for each, {@link #end}. */
    protected final void walk() {
        begin();
        walkRows(0, outerCount, counter, offsets);
        end();
    }

    /**
     * Visits rows [from, to) with the caller's own position arrays ({@code counter} one per dimension, {@code offsets}
     * one per operand), so that pieces of one walk can run on several threads; {@link #row} only.
     */
    private void walkRows(int from, int to, int[] counter, int[] offsets) {
        int ops = offsets.length;
        System.arraycopy(bases, 0, offsets, 0, ops);
        int last = dims.length - 2;
        int rest = from;
        counter[last + 1] = 0;
        for (int ax = last; ax >= 0; ax--) {
            counter[ax] = rest % dims[ax];
            rest /= dims[ax];
            for (int k = 0; k < ops; k++) {
                offsets[k] += counter[ax] * strides[k][ax];
            }
        }
        for (int t = from; t < to; t++) {
            row(offsets);
            for (int ax = last; ax >= 0; ax--) {
                for (int k = 0; k < ops; k++) {
                    offsets[k] += strides[k][ax];
                }
                if (++counter[ax] < dims[ax]) {
                    break;
                }
                for (int k = 0; k < ops; k++) {
                    offsets[k] -= strides[k][ax] * dims[ax];
                }
                counter[ax] = 0;
            }
        }
    }

    /** Each row's start offset for {@code operand}, in the order {@link #run} visits the rows. */
    protected final int[] rowOffsets(int operand) {
        int[] rows = new int[outerCount];
        int[] count = new int[dims.length];
        int offset = bases[operand];
        int last = dims.length - 2;
        for (int t = 0; t < outerCount; t++) {
            rows[t] = offset;
            for (int ax = last; ax >= 0; ax--) {
                offset += strides[operand][ax];
                if (++count[ax] < dims[ax]) {
                    break;
                }
                offset -= strides[operand][ax] * dims[ax];
                count[ax] = 0;
            }
        }
        return rows;
    }

    /** Number of rows {@link #run} visits. */
    protected final int rowCount() {
        return outerCount;
    }

    /** Loads the operands' arrays from their slots (they change when carries swap) and prepares the output. */
    protected abstract void begin();

    /** Processes {@link #inner} elements starting at the given offsets, one per operand. */
    protected abstract void row(int[] offsets);

    /** Finishes after the last row; nothing by default. */
    protected void end() {
    }
}
