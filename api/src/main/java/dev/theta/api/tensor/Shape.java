package dev.theta.api.tensor;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A tensor shape. A negative dimension {@code -k} stands for {@code k} times the symbolic batch size N
 * ({@link #BATCH} is N itself, and flattening [N, 8] gives [8N]). The batch size is fixed only when a backend compiles
 * a graph for a concrete batch size; it stays dynamic in exported ONNX models.
 */
public final class Shape {
    /** The symbolic batch dimension. */
    public static final int BATCH = -1;
    public static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** The dimension {@code k} times the batch size. */
    public static int batchTimes(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("batch multiple must be positive: " + k);
        }
        return -k;
    }

    public static boolean isSymbolic(int dim) {
        return dim < 0;
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis < 0 ? axis + dims.length : axis];
    }

    public int[] dims() {
        return dims.clone();
    }

    public boolean hasBatch() {
        for (int d : dims) {
            if (d < 0) {
                return true;
            }
        }
        return false;
    }

    /** How many dimensions are symbolic. */
    public int symbolicDims() {
        int n = 0;
        for (int d : dims) {
            if (d < 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * The element count as a dimension: positive when static, {@code -k} for k·N. Fails for counts that grow
     * faster than N (such as [N, N]), which no single dimension can hold.
     */
    public int elementCountDim() {
        int count = 1;
        int symbolic = 0;
        for (int d : dims) {
            if (d < 0) {
                symbolic++;
            }
            count = Math.multiplyExact(count, Math.abs(d));
        }
        if (symbolic > 1) {
            throw new IllegalArgumentException("element count of " + this + " is not linear in the batch size");
        }
        return symbolic == 1 ? -count : count;
    }

    /**
     * Number of elements; requires a concrete shape.
     *
     * @throws TensorTooLargeError when they are more than one Java array holds
     */
    public int size() {
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalStateException("size of symbolic shape " + this);
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new TensorTooLargeError(String.format(java.util.Locale.ROOT, "a tensor of shape %s would hold %.0f elements"
                        + " (%.1f GB as float32), more than one Java array holds (%d)", this, elements(), 4 * elements() / (1L << 30), Integer.MAX_VALUE));
            }
        }
        return (int) n;
    }

    private double elements() {
        double n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }


    /** Number of elements with the batch dimension replaced by {@code batch}. */
    public int size(int batch) {
        return resolve(batch).size();
    }

    /** This shape with every batch dimension replaced by {@code batch}. */
    public Shape resolve(int batch) {
        int[] r = dims.clone();
        for (int i = 0; i < r.length; i++) {
            if (r[i] < 0) {
                r[i] = -r[i] * batch;
            }
        }
        return new Shape(r);
    }

    /** Normalises a possibly negative axis against this rank, failing with a clear message when out of range. */
    public int axis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " out of range for shape " + this);
        }
        return a;
    }

    /** NumPy broadcasting of two shapes; the symbolic batch dimension broadcasts like any size other than 1. */
    public static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast");
            }
        }
        return new Shape(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.stream(dims).mapToObj(d -> d == BATCH ? "N" : d < 0 ? -d + "N" : Integer.toString(d))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
