package dev.theta.api.options;

/** A numeric interval with open or closed ends, printed in the usual notation: {@code [0, 1)}. */
public record Range(double min, boolean minClosed, double max, boolean maxClosed) {
    public static final Range ANY = new Range(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);
    public static final Range POSITIVE = new Range(0, false, Double.POSITIVE_INFINITY, false);
    public static final Range NON_NEGATIVE = new Range(0, true, Double.POSITIVE_INFINITY, false);
    /** [0, 1). */
    public static final Range UNIT_HALF_OPEN = new Range(0, true, 1, false);
    public static final Range UNIT = new Range(0, true, 1, true);

    public static Range atLeast(double min) {
        return new Range(min, true, Double.POSITIVE_INFINITY, false);
    }

    public static Range closed(double min, double max) {
        return new Range(min, true, max, true);
    }

    public boolean contains(double v) {
        if (Double.isNaN(v)) {
            return false;
        }
        boolean lo = minClosed ? v >= min : v > min;
        boolean hi = maxClosed ? v <= max : v < max;
        return lo && hi;
    }

    @Override
    public String toString() {
        return (minClosed ? "[" : "(") + fmt(min) + ", " + fmt(max) + (maxClosed ? "]" : ")");
    }

    private static String fmt(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
