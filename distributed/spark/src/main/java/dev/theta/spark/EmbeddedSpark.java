package dev.theta.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A Spark context that theta starts itself (a {@code local[N]} master, or a cluster master given in the config),
 * bound to the loopback interface: the driver never listens on another address. Its web UI is off.
 */
public final class EmbeddedSpark {
    public static final String LOOPBACK = "127.0.0.1";

    private EmbeddedSpark() {
    }

    public static JavaSparkContext start(String master, String appName) {
        return new JavaSparkContext(conf(master, appName));
    }

    /** The configuration {@link #start} uses, for a caller that adds settings (jars, executor sizes) before starting. */
    public static SparkConf conf(String master, String appName) {
        return new SparkConf().setMaster(master).setAppName(appName)
                .set("spark.driver.bindAddress", LOOPBACK)
                .set("spark.driver.host", LOOPBACK)
                .set("spark.ui.enabled", "false")
                // Partial sums are small; a step's broadcast should not wait for the default 4 MiB block threshold.
                .set("spark.broadcast.compress", "false");
    }
}
