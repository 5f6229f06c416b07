package dev.theta.spark;

import org.apache.spark.ml.linalg.Vector;

/**
 * Spark ML's vector column, kept in a class of its own so that spark-mllib is loaded only when a DataFrame has one
 * (its type is recognised by name, see {@code DataFrameShards}).
 */
final class MlVectors {
    static final String UDT = "org.apache.spark.ml.linalg.VectorUDT";

    private MlVectors() {
    }

    /** A dense or sparse vector's values, zeros included. */
    static double[] values(Object vector) {
        return ((Vector) vector).toArray();
    }
}
