package dev.theta.spark;

import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Dataset;
import dev.theta.core.datasets.Standardization;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;

/**
 * A training set cached on the executors as one {@link Shard} per Spark partition (contiguous float or long arrays,
 * never per-row objects), with the rows each shard holds, in shard order. Rows are numbered shard by shard: shard 0's
 * rows first, each shard's in its own order; the trainers' shuffles and batches refer to that numbering. Made from a
 * theta {@link Dataset} read on the driver ({@link #of}) or from a Spark DataFrame ({@link DataFrameShards}); closing
 * it drops the cached shards.
 */
public final class TrainingShards implements AutoCloseable {
    private final JavaRDD<Shard> rdd;
    private final int[] sizes;
    private final DataSpec spec;
    private final Standardization standardization;

    TrainingShards(JavaRDD<Shard> rdd, int[] sizes, DataSpec spec, Standardization standardization) {
        this.rdd = rdd;
        this.sizes = sizes.clone();
        this.spec = spec;
        this.standardization = standardization;
    }

    /** {@code data} cut into {@code partitions} shards of contiguous rows (fewer when it has fewer rows), cached. */
    public static TrainingShards of(JavaSparkContext spark, Dataset data, int partitions) {
        int n = data.size();
        int p = Math.min(partitions, Math.max(1, n));
        List<Shard> shards = new ArrayList<>();
        int[] sizes = new int[p];
        for (int s = 0; s < p; s++) {
            int from = (int) ((long) s * n / p);
            int to = (int) ((long) (s + 1) * n / p);
            shards.add(Shard.of(s, data, from, to));
            sizes[s] = to - from;
        }
        return new TrainingShards(cached(spark, spark.parallelize(shards, p)), sizes, data.spec(), null);
    }

    /**
     * The shards cached on the executors with their lineage cut: a partition of a parallelised collection carries
     * its data, so every task of every step would ship the shard again (and a DataFrame's would be read again). With a
     * checkpoint directory set on the context the cut is a reliable checkpoint (a lost executor's shard is read back);
     * without one a local checkpoint (a lost executor's shard is lost, and the run fails).
     */
    static JavaRDD<Shard> cached(JavaSparkContext spark, JavaRDD<Shard> shards) {
        JavaRDD<Shard> data = shards.persist(StorageLevel.MEMORY_ONLY());
        if (spark.getCheckpointDir().isPresent()) {
            data.checkpoint();
        } else {
            data.rdd().localCheckpoint();
        }
        data.count();
        return data;
    }

    /** What the shards hold: feature shape and type, classes (with names) or real-valued targets. */
    public DataSpec spec() {
        return spec;
    }

    /**
     * The statistics the features were standardised with before caching (x' = (x - mean) / std, as
     * {@link Standardization#apply}), to apply unchanged to test data and predictions; null when not standardised.
     */
    public Standardization standardization() {
        return standardization;
    }

    /** Rows in all shards. */
    public int size() {
        int n = 0;
        for (int s : sizes) {
            n += s;
        }
        return n;
    }

    /** Rows of each shard, in shard order. */
    public int[] sizes() {
        return sizes.clone();
    }

    JavaRDD<Shard> rdd() {
        return rdd;
    }

    /** Drops the cached shards from the executors. */
    @Override
    public void close() {
        rdd.unpersist(false);
    }
}
