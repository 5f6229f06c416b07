package dev.theta.spark;

import dev.theta.api.data.InMemoryDataset;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.core.datasets.Standardization;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A Spark DataFrame (Parquet, CSV, a table) as cached {@link TrainingShards}: a features column ({@code array<float>},
 * {@code array<double>} or a Spark ML vector) and a label column (numeric: class indices, or values for regression).
 * Each partition becomes one shard of contiguous arrays. The data spec and the standardisation statistics are
 * computed on the executors, one partial result per partition combined on the driver in partition order (never
 * arrival order, which {@code aggregate}/{@code treeAggregate} would use), so they are the same on every run.
 *
 * <p>Rows are numbered in the DataFrame's own order: partition 0's rows first, each partition's in its iterator order,
 * the order {@code collect()} returns. That is the order after {@code orderBy}; a file read without a shuffle keeps
 * each split's row order, but Spark may order the splits of several files by size. Repartition or sort before, not
 * after: this class does not reorder rows, so the same rows in the same order train the same model.
 */
public final class DataFrameShards {
    /** More classes than this (and than rows) means the label column is probably not one of class indices. */
    private static final int MANY_CLASSES = 1000;

    private DataFrameShards() {
    }

    /**
     * Classification: labels are class indices 0..k-1 with k = the largest label + 1, named "0".."k-1".
     *
     * @param standardize scale each feature to mean 0, std 1 with statistics of these rows, as {@code data.standardize}
     */
    public static TrainingShards classification(org.apache.spark.sql.Dataset<Row> frame, String features, String label,
                                                boolean standardize) {
        return cache(frame, features, label, true, null, standardize);
    }

    /** Classification with {@code classNames.size()} classes, label i naming class {@code classNames.get(i)}. */
    public static TrainingShards classification(org.apache.spark.sql.Dataset<Row> frame, String features, String label,
                                                List<String> classNames, boolean standardize) {
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("classNames is empty: give at least one class, or none to number them");
        }
        return cache(frame, features, label, true, List.copyOf(classNames), standardize);
    }

    /** Regression: the label column holds one real value per row. */
    public static TrainingShards regression(org.apache.spark.sql.Dataset<Row> frame, String features, String label,
                                            boolean standardize) {
        return cache(frame, features, label, false, null, standardize);
    }

    private static TrainingShards cache(org.apache.spark.sql.Dataset<Row> frame, String features, String label,
                                        boolean classification, List<String> classNames, boolean standardize) {
        FrameBlock.Columns columns = new FrameBlock.Columns(features, featureColumn(frame, features), label,
                classification, classNames == null ? 0 : classNames.size());
        checkLabel(frame, label);
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext());
        JavaRDD<FrameBlock> blocks = frame.select(functions.col(quoted(features)), functions.col(quoted(label))).javaRDD()
                .mapPartitionsWithIndex((index, rows) -> Collections.singletonList(FrameBlock.read(index, rows, columns)).iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
        try {
            // Partition order: collect() returns one element per partition, partition 0 first.
            List<FrameBlock.Summary> summaries = blocks.map(FrameBlock.Summary::of).collect();
            int width = checked(summaries, features);
            int[] sizes = new int[summaries.size()];
            long n = 0;
            double[] sum = new double[width];
            long maxLabel = -1;
            for (FrameBlock.Summary s : summaries) {
                sizes[s.index()] = s.rows();
                n += s.rows();
                for (int j = 0; j < s.sums().length; j++) {
                    sum[j] += s.sums()[j];
                }
                maxLabel = Math.max(maxLabel, s.maxLabel());
            }
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the DataFrame has " + n + " rows; theta's shards hold at most 2^31 - 1");
            }
            DataSpec spec = spec(width, classification, classNames, maxLabel, n, label);
            Standardization standardization = standardize ? standardization(blocks, sum, n) : null;
            float[] mean = standardization == null ? null : standardization.mean();
            float[] std = standardization == null ? null : standardization.std();
            int[] firsts = new int[sizes.length];
            for (int s = 1; s < sizes.length; s++) {
                firsts[s] = firsts[s - 1] + sizes[s - 1];
            }
            JavaRDD<Shard> shards = blocks.map(b -> b.shard(firsts[b.index()], mean, std));
            return new TrainingShards(TrainingShards.cached(spark, shards), sizes, spec, standardization);
        } finally {
            blocks.unpersist(false);
        }
    }

    /** Mean and population std per feature, as {@link Standardization#fit} computes them: Σ x / n, then Σ (x - mean)². */
    private static Standardization standardization(JavaRDD<FrameBlock> blocks, double[] sum, long n) {
        double[] meanD = new double[sum.length];
        for (int j = 0; j < sum.length; j++) {
            meanD[j] = sum[j] / n;
        }
        double[] squares = new double[sum.length];
        for (double[] part : blocks.map(b -> b.squares(meanD)).collect()) {
            for (int j = 0; j < part.length; j++) {
                squares[j] += part[j];
            }
        }
        float[] mean = new float[sum.length];
        float[] std = new float[sum.length];
        for (int j = 0; j < sum.length; j++) {
            mean[j] = (float) meanD[j];
            std[j] = (float) Math.sqrt(squares[j] / n);
        }
        return Standardization.of(mean, std);
    }

    private static DataSpec spec(int width, boolean classification, List<String> classNames, long maxLabel, long n, String label) {
        if (!classification) {
            return new DataSpec(Shape.of(width), DType.FLOAT32, 0, List.of(), Shape.SCALAR);
        }
        if (classNames != null) {
            return DataSpec.classification(Shape.of(width), classNames.size(), classNames);
        }
        if (maxLabel >= Math.max(MANY_CLASSES, n)) {
            throw new IllegalArgumentException("label column '" + label + "': label " + maxLabel + " makes " + (maxLabel + 1)
                    + " classes for " + n + " rows; labels are class indices 0..k-1: is it the label column?");
        }
        int classes = (int) maxLabel + 1;
        return DataSpec.classification(Shape.of(width), classes, InMemoryDataset.indexNames(classes));
    }

    /** The feature width all partitions agree on; the first partition's problem, if any, as the error. */
    private static int checked(List<FrameBlock.Summary> summaries, String features) {
        int width = -1;
        int widthPartition = -1;
        long rows = 0;
        for (FrameBlock.Summary s : summaries) {
            if (s.problem() != null) {
                throw new IllegalArgumentException(s.problem());
            }
            rows += s.rows();
            if (s.rows() == 0) {
                continue;
            }
            if (width < 0) {
                width = s.width();
                widthPartition = s.index();
            } else if (s.width() != width) {
                throw new IllegalArgumentException("features column '" + features + "' has " + width + " elements in partition "
                        + widthPartition + " but " + s.width() + " in partition " + s.index() + ": every row needs the same number");
            }
        }
        if (rows == 0) {
            throw new IllegalArgumentException("the DataFrame has no rows to train on");
        }
        return width;
    }

    private static FrameBlock.FeatureColumn featureColumn(org.apache.spark.sql.Dataset<Row> frame, String name) {
        DataType type = field(frame, name, "features").dataType();
        if (type instanceof ArrayType a && a.elementType().equals(DataTypes.FloatType)) {
            return FrameBlock.FeatureColumn.FLOAT_ARRAY;
        }
        if (type instanceof ArrayType a && a.elementType().equals(DataTypes.DoubleType)) {
            return FrameBlock.FeatureColumn.DOUBLE_ARRAY;
        }
        if (type.getClass().getName().equals(MlVectors.UDT)) {
            return FrameBlock.FeatureColumn.ML_VECTOR;
        }
        throw new IllegalArgumentException("features column '" + name + "' is " + type.simpleString()
                + ": must be array<float>, array<double> or a Spark ML vector (VectorAssembler's output)");
    }

    private static void checkLabel(org.apache.spark.sql.Dataset<Row> frame, String name) {
        DataType type = field(frame, name, "label").dataType();
        if (!(type instanceof NumericType)) {
            throw new IllegalArgumentException("label column '" + name + "' is " + type.simpleString()
                    + ": must be numeric (class indices, or values for regression); StringIndexer turns names into indices");
        }
    }

    private static StructField field(org.apache.spark.sql.Dataset<Row> frame, String name, String role) {
        for (StructField f : frame.schema().fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException(role + " column '" + name + "' is not in the DataFrame; its columns: "
                + String.join(", ", Arrays.asList(frame.schema().fieldNames())));
    }

    private static String quoted(String column) {
        return "`" + column.replace("`", "``") + "`";
    }

    /** {@code features} standardised with the broadcast statistics by {@link Standardization#apply} itself. */
    static float[] standardized(float[] features, int rows, int width, float[] mean, float[] std) {
        if (mean == null || rows == 0) {
            return features;
        }
        InMemoryDataset raw = new InMemoryDataset(new DataSpec(Shape.of(width), DType.FLOAT32, 0, List.of(), Shape.SCALAR),
                Tensor.of(Shape.of(rows, width), features), Tensor.zeros(DType.FLOAT32, Shape.of(rows)), "shard");
        return Standardization.of(mean, std).apply(raw).features().floats();
    }
}
