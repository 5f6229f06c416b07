package dev.theta.backend.cpu.kernels;

/** The bounds check of the indexing kernels: a bad label fails with its value and the limit, not a crash. */
final class Indices {
    private Indices() {
    }

    static int check(String op, long index, int limit, int position) {
        if (index < 0 || index >= limit) {
            throw new IllegalArgumentException(op + ": index " + index + " at position " + position
                    + " is out of range [0, " + limit + ")");
        }
        return (int) index;
    }
}
