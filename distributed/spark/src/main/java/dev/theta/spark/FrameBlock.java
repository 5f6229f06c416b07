package dev.theta.spark;

import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * One DataFrame partition read into contiguous arrays (features row-major, labels), with the per-feature sums of its
 * rows in double precision (their order), or the first problem found in it: a bad row becomes a message the driver
 * reports, not an executor exception (whose stack trace would bury the column's name).
 *
 * @param labels class indices (classification) or null
 * @param values real-valued targets (regression) or null
 */
record FrameBlock(int index, int rows, int width, float[] features, long[] labels, float[] values, double[] sums,
                  long maxLabel, String problem) implements Serializable {

    /** How the features column is stored. */
    enum FeatureColumn { FLOAT_ARRAY, DOUBLE_ARRAY, ML_VECTOR }

    /** What a reader needs to know about the two columns: their names (for messages) and kinds. */
    record Columns(String features, FeatureColumn kind, String label, boolean classification, int classes)
            implements Serializable {
    }

    /** Reads partition {@code index}: rows of (features, label), as {@code DataFrameShards} selects them. */
    static FrameBlock read(int index, Iterator<Row> rows, Columns c) {
        FloatBuffer x = new FloatBuffer();
        long[] labels = new long[c.classification() ? 64 : 0];
        float[] values = new float[c.classification() ? 0 : 64];
        double[] sums = null;
        int width = -1;
        long maxLabel = -1;
        int r = 0;
        for (; rows.hasNext(); r++) {
            Row row = rows.next();
            String where = " in row " + r + " of partition " + index;
            if (row.isNullAt(0)) {
                return failed(index, "features column '" + c.features() + "' is null" + where + ": drop or fill such rows first");
            }
            float[] f = features(row, c.kind());
            if (f == null) {
                return failed(index, "features column '" + c.features() + "' has a null element" + where);
            }
            if (width < 0) {
                if (f.length == 0) {
                    return failed(index, "features column '" + c.features() + "' is an empty array" + where);
                }
                width = f.length;
                sums = new double[width];
            } else if (f.length != width) {
                return failed(index, "features column '" + c.features() + "' has " + width + " elements in row 0 but "
                        + f.length + where + ": every row needs the same number");
            }
            for (int j = 0; j < width; j++) {
                sums[j] += f[j];
            }
            x.add(f);
            if (row.isNullAt(1)) {
                return failed(index, "label column '" + c.label() + "' is null" + where + ": drop or fill such rows first (DataFrame.na())");
            }
            double label = ((Number) row.get(1)).doubleValue();
            if (c.classification()) {
                if (label < 0 || label != Math.rint(label) || label > Integer.MAX_VALUE) {
                    return failed(index, "label column '" + c.label() + "' = " + label + where
                            + ": class labels are indices 0..k-1 (StringIndexer makes them from names)");
                }
                if (c.classes() > 0 && label >= c.classes()) {
                    return failed(index, "label column '" + c.label() + "' = " + (long) label + where + ": the "
                            + c.classes() + " class names given allow 0.." + (c.classes() - 1));
                }
                if (r == labels.length) {
                    labels = Arrays.copyOf(labels, 2 * r);
                }
                labels[r] = (long) label;
                maxLabel = Math.max(maxLabel, (long) label);
            } else {
                if (r == values.length) {
                    values = Arrays.copyOf(values, 2 * r);
                }
                values[r] = (float) label;
            }
        }
        return new FrameBlock(index, r, Math.max(width, 0), x.trimmed(),
                c.classification() ? Arrays.copyOf(labels, r) : null, c.classification() ? null : Arrays.copyOf(values, r),
                sums == null ? new double[0] : sums, maxLabel, null);
    }

    /** What the driver collects of a block: no rows, only their count, width, sums and largest label. */
    record Summary(int index, int rows, int width, double[] sums, long maxLabel, String problem) implements Serializable {
        static Summary of(FrameBlock b) {
            return new Summary(b.index, b.rows, b.width, b.sums, b.maxLabel, b.problem);
        }
    }

    /** This block as shard {@link #index} holding rows from {@code first}, standardised when {@code mean} is not null. */
    Shard shard(int first, float[] mean, float[] std) {
        return new Shard(index, first, rows, width, 1, DataFrameShards.standardized(features, rows, width, mean, std), null,
                values, labels);
    }

    /** Σ (x - mean)² per feature over this block's rows, in row order, as {@code Standardization.fit} adds them. */
    double[] squares(double[] mean) {
        double[] squares = new double[mean.length];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                double d = features[r * width + j] - mean[j];
                squares[j] += d * d;
            }
        }
        return squares;
    }

    private static FrameBlock failed(int index, String problem) {
        return new FrameBlock(index, 0, 0, new float[0], null, null, new double[0], -1, problem);
    }

    /** One row's features as float32 (a double is rounded as a float cast does); null when an element is null. */
    private static float[] features(Row row, FeatureColumn kind) {
        if (kind == FeatureColumn.ML_VECTOR) {
            double[] v = MlVectors.values(row.get(0));
            float[] f = new float[v.length];
            for (int j = 0; j < v.length; j++) {
                f[j] = (float) v[j];
            }
            return f;
        }
        List<Object> list = row.getList(0);
        float[] f = new float[list.size()];
        int j = 0;
        for (Object e : list) {
            if (e == null) {
                return null;
            }
            f[j++] = kind == FeatureColumn.FLOAT_ARRAY ? (Float) e : (float) (double) (Double) e;
        }
        return f;
    }

    /** A float array that grows by doubling, so a partition of unknown length is read without boxing rows. */
    private static final class FloatBuffer {
        private float[] data = new float[1024];
        private int size;

        void add(float[] row) {
            while (size + row.length > data.length) {
                data = Arrays.copyOf(data, 2 * data.length);
            }
            System.arraycopy(row, 0, data, size, row.length);
            size += row.length;
        }

        float[] trimmed() {
            return Arrays.copyOf(data, size);
        }
    }
}
