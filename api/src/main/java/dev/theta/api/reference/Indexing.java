package dev.theta.api.reference;

/** Row-major index arithmetic for the reference interpreter: element counts, multi-indices, broadcasting. */
final class Indexing {
    private Indexing() {
    }

    /** The number of elements of a tensor of {@code dims}. */
    static int count(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** The multi-index of row-major position {@code flat} in a tensor of {@code dims}. */
    static int[] unravel(int flat, int[] dims) {
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = flat % dims[d];
            flat /= dims[d];
        }
        return idx;
    }

    /** The row-major position of multi-index {@code idx} in a tensor of {@code dims}. */
    static int ravel(int[] idx, int[] dims) {
        int flat = 0;
        for (int d = 0; d < dims.length; d++) {
            flat = flat * dims[d] + idx[d];
        }
        return flat;
    }

    /** NumPy broadcasting: the position in a tensor of {@code dims} read for output multi-index {@code outIdx}. */
    static int broadcastIndex(int[] outIdx, int[] dims) {
        int lead = outIdx.length - dims.length;
        int flat = 0;
        for (int d = 0; d < dims.length; d++) {
            flat = flat * dims[d] + (dims[d] == 1 ? 0 : outIdx[lead + d]);
        }
        return flat;
    }
}
