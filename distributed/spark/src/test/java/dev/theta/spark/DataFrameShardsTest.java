package dev.theta.spark;

import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.Dataset;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.core.TrainingListener;
import dev.theta.core.datasets.Standardization;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training data from a Spark DataFrame: WDBC written as Parquet by Spark and read back, against theta's csv dataset
 * plugin reading {@code examples/data/breast_cancer.csv} on the driver.
 */
class DataFrameShardsTest {
    private static final Path WDBC = Path.of("../../examples/data/breast_cancer.csv");
    private static JavaSparkContext spark;
    private static SparkSession session;
    private static Dataset wdbc;
    /** WDBC as Parquet written by Spark (two files), read back and sorted by row id into two partitions. */
    private static org.apache.spark.sql.Dataset<Row> parquet;
    private static String parquetPath;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        spark = EmbeddedSpark.start("local[2]", "theta-dataframe-test");
        session = SparkSession.builder().getOrCreate();
        // orderBy range-partitions into exactly two partitions: no adaptive coalescing of a small shuffle.
        session.conf().set("spark.sql.shuffle.partitions", "2");
        session.conf().set("spark.sql.adaptive.enabled", "false");
        DatasetProvider csv = PluginRegistry.discover(DataFrameShardsTest.class.getClassLoader())
                .get(PluginKind.DATASET, DatasetProvider.class, "csv");
        wdbc = csv.load(csv.options().validate(Map.of("path", WDBC.toAbsolutePath().toString()), "data.train", List.of()), Path.of("."));
        parquetPath = dir.resolve("wdbc.parquet").toString();
        frame(wdbc, "float").repartition(2).write().parquet(parquetPath);
        // repartition(2) scattered the rows over the two files: the id column restores the csv's order.
        parquet = session.read().parquet(parquetPath).orderBy("id");
    }

    @AfterAll
    static void stop() {
        spark.close();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    /** The spec and the standardisation statistics computed on the executors equal the local ones within 1e-6. */
    @Test
    void parquetGivesTheLocalSpecStatisticsAndRows() {
        assertEquals(2, parquet.javaRDD().getNumPartitions(), "partitions after orderBy");
        Standardization local = Standardization.fit(wdbc);
        try (TrainingShards named = DataFrameShards.classification(parquet, "features", "label", List.of("malignant", "benign"), true)) {
            assertEquals(wdbc.spec(), named.spec());
            double worst = Math.max(relative(local.mean(), named.standardization().mean()), relative(local.std(), named.standardization().std()));
            System.out.printf("wdbc from parquet: max relative difference of mean and std to Standardization.fit %.3g%n", worst);
            assertTrue(worst < 1e-6, "relative difference " + worst);
            assertEquals(wdbc.size(), named.size());
            assertEquals(2, named.sizes().length);
        }
        try (TrainingShards numbered = DataFrameShards.classification(parquet, "features", "label", false)) {
            assertEquals(2, numbered.spec().classes());
            assertEquals(List.of("0", "1"), numbered.spec().classNames());
            assertEquals(wdbc.spec().featureShape(), numbered.spec().featureShape());
            assertEquals(null, numbered.standardization());
            // Unstandardised, the shards hold the csv's rows in the csv's order, as contiguous arrays.
            assertArrayEquals(wdbc.features().floats(), concatenated(numbered));
        }
    }

    /** Same rows in the same order: sync SGD from the Parquet DataFrame trains the parameters it trains from the csv. */
    @Test
    void trainingFromParquetEqualsTrainingFromTheCsvPlugin() {
        Map<String, Object> sgd = Map.of("name", "sgd", "lr", 0.1);
        // Shuffled minibatches: a different row order would give different batches, hence other parameters.
        SyncSgd.Settings settings = new SyncSgd.Settings(2, 128, 1, true, 0, 0);
        Dataset standardized = Standardization.fit(wdbc).apply(wdbc);
        SyncSgd.Result fromCsv = new SyncSgd(spark, recipe(sgd, wdbc), settings, step -> 0.1, TrainingListener.NONE).train(standardized);
        SyncSgd.Result fromParquet;
        try (TrainingShards shards = DataFrameShards.classification(parquet, "features", "label", List.of("malignant", "benign"), true)) {
            fromParquet = new SyncSgd(spark, PluginRecipe.of(Map.of("name", "linear"), Map.of("name", "cross-entropy"), sgd, shards.spec()),
                    settings, step -> 0.1, TrainingListener.NONE).train(shards);
        }
        double worst = 0;
        for (Map.Entry<String, dev.theta.api.tensor.Tensor> p : fromCsv.parameters().entrySet()) {
            worst = Math.max(worst, SyncSgdTest.relative(p.getValue().floats(), fromParquet.parameters().get(p.getKey()).floats()));
        }
        // The rows as the files hold them (scattered by repartition): other batches, so other parameters.
        SyncSgd.Result scattered;
        try (TrainingShards shards = DataFrameShards.classification(session.read().parquet(parquetPath), "features", "label",
                List.of("malignant", "benign"), true)) {
            scattered = new SyncSgd(spark, recipe(sgd, wdbc), settings, step -> 0.1, TrainingListener.NONE).train(shards);
        }
        double other = 0;
        for (Map.Entry<String, dev.theta.api.tensor.Tensor> p : fromCsv.parameters().entrySet()) {
            other = Math.max(other, SyncSgdTest.relative(p.getValue().floats(), scattered.parameters().get(p.getKey()).floats()));
        }
        System.out.printf("wdbc, batch 128, 1 epoch: parameters from parquet vs csv, max relative difference %.3g (rows in file order: %.3g)%n",
                worst, other);
        assertTrue(worst < 1e-6, "relative difference " + worst);
        assertTrue(other > 1e-3, "another row order should train other parameters: " + other);
        assertTrue(fromParquet.losses()[fromParquet.losses().length - 1] < fromParquet.losses()[0], "the loss falls");
    }

    /** array&lt;double&gt; and Spark ML vectors are read as the float32 values an array&lt;float&gt; holds. */
    @Test
    void doubleArraysAndMlVectorsReadAsFloatArrays() {
        float[] expected = wdbc.features().floats();
        for (String kind : List.of("double", "vector")) {
            try (TrainingShards shards = DataFrameShards.classification(frame(wdbc, kind), "features", "label", false)) {
                assertArrayEquals(expected, concatenated(shards), kind);
                assertEquals(2, shards.spec().classes(), kind);
            }
        }
    }

    /** Regression: a real-valued label column, kept as float32 targets in row order; no classes. */
    @Test
    void regressionKeepsTheLabelValues() {
        try (TrainingShards shards = DataFrameShards.regression(small(DataTypes.DoubleType, row(0.5, 1.0, 2.0), row(-2.25, 3.0, 4.0),
                row(7.0, 5.0, 6.0)), "features", "name", false)) {
            assertEquals(0, shards.spec().classes());
            assertEquals(dev.theta.api.tensor.DType.FLOAT32, shards.spec().featureType());
            List<Float> targets = new ArrayList<>();
            for (Shard s : shards.rdd().collect()) {
                for (float t : s.floatTargets()) {
                    targets.add(t);
                }
                assertEquals(null, s.longTargets());
            }
            assertEquals(List.of(0.5f, -2.25f, 7.0f), targets);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, concatenated(shards));
        }
    }

    @Test
    void badColumnsAreOneLineErrorsNamingTheColumn() {
        org.apache.spark.sql.Dataset<Row> good = frame(wdbc, "float");
        assertOneLine("'feats'", () -> DataFrameShards.classification(good, "feats", "label", false));
        assertOneLine("'y'", () -> DataFrameShards.classification(good, "features", "y", false));
        assertOneLine("features column 'id' is int", () -> DataFrameShards.classification(good, "id", "label", false));
        assertOneLine("features column 'label' is int", () -> DataFrameShards.classification(good, "label", "features", false));
        assertOneLine("label column 'name' is string", () -> DataFrameShards.classification(
                small(DataTypes.StringType, row("a", 1.0, 2.0)), "features", "name", false));
        assertOneLine("'features' has 2 elements in row 0 but 3 in row 1 of partition 0", () -> DataFrameShards.classification(
                small(DataTypes.IntegerType, row(0, 1.0, 2.0), row(0, 1.0, 2.0, 3.0)).coalesce(1), "features", "name", false));
        assertOneLine("'features' has 2 elements in partition 0 but 3 in partition 1", () -> DataFrameShards.classification(
                small(DataTypes.IntegerType, row(0, 1.0, 2.0), row(0, 1.0, 2.0, 3.0)), "features", "name", false));
        assertOneLine("'features' has a null element in row 0", () -> DataFrameShards.classification(
                small(DataTypes.IntegerType, row(0, 1.0, null)), "features", "name", false));
        assertOneLine("label column 'name' is null in row 0", () -> DataFrameShards.classification(
                small(DataTypes.IntegerType, row(0, 1.0, 2.0), row(null, 1.0, 2.0)), "features", "name", false));
        assertOneLine("label column 'name' = 1.5", () -> DataFrameShards.classification(
                small(DataTypes.DoubleType, row(1.5, 1.0, 2.0)), "features", "name", false));
        assertOneLine("label column 'name' = 2", () -> DataFrameShards.classification(
                small(DataTypes.LongType, row(2L, 1.0, 2.0)), "features", "name", List.of("a", "b"), false));
        assertOneLine("'features' is null", () -> DataFrameShards.classification(session.createDataFrame(
                List.of(RowFactory.create(null, 1)), new StructType().add("features", DataTypes.createArrayType(DataTypes.DoubleType))
                        .add("name", DataTypes.IntegerType)), "features", "name", false));
    }

    private static void assertOneLine(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    /** {@code d} as rows (id, features, label), features as array&lt;float&gt;, array&lt;double&gt; or an ML vector. */
    private static org.apache.spark.sql.Dataset<Row> frame(Dataset d, String kind) {
        int n = d.size();
        int f = d.spec().featureSize();
        float[] x = d.features().floats();
        long[] y = d.targets().longs();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] row = Arrays.copyOfRange(x, i * f, (i + 1) * f);
            double[] wide = new double[f];
            List<Object> floats = new ArrayList<>();
            for (int j = 0; j < f; j++) {
                wide[j] = row[j];
                floats.add(kind.equals("float") ? (Object) row[j] : (Object) wide[j]);
            }
            rows.add(RowFactory.create(i, kind.equals("vector") ? Vectors.dense(wide) : floats, (int) y[i]));
        }
        DataType features = switch (kind) {
            case "float" -> DataTypes.createArrayType(DataTypes.FloatType);
            case "double" -> DataTypes.createArrayType(DataTypes.DoubleType);
            default -> new VectorUDT();
        };
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("features", features).add("label", DataTypes.IntegerType);
        return session.createDataFrame(rows, schema);
    }

    /** A frame of (array&lt;double&gt; features, label of {@code labelType}); a few rows are two partitions on local[2]. */
    private static org.apache.spark.sql.Dataset<Row> small(DataType labelType, Row... rows) {
        StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.DoubleType)).add("name", labelType);
        return session.createDataFrame(List.of(rows), schema);
    }

    private static Row row(Object label, Double... features) {
        return RowFactory.create(Arrays.asList(features), label);
    }

    private static float[] concatenated(TrainingShards shards) {
        List<Shard> all = new ArrayList<>(shards.rdd().collect());
        int total = 0;
        for (Shard s : all) {
            total += s.floatFeatures().length;
        }
        float[] out = new float[total];
        int at = 0;
        for (Shard s : all) {
            System.arraycopy(s.floatFeatures(), 0, out, at, s.floatFeatures().length);
            at += s.floatFeatures().length;
        }
        return out;
    }

    private static PluginRecipe recipe(Map<String, Object> optimizer, Dataset data) {
        return PluginRecipe.of(Map.of("name", "linear"), Map.of("name", "cross-entropy"), optimizer, data.spec());
    }

    /** The largest |a - b| / |a| over the elements. */
    private static double relative(float[] expected, float[] actual) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / Math.abs(expected[i]));
        }
        return worst;
    }
}
