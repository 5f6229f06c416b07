package dev.theta.spark;

import dev.theta.api.spi.Dataset;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Tensor;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The examples one partition holds: rows {@code [first, first + rows)} of the training set, features and targets
 * row-major, as float32 or int64 arrays (the unused one is null). Spark caches one shard per partition.
 */
record Shard(int index, int first, int rows, int featureSize, int targetSize, float[] floatFeatures, long[] longFeatures,
             float[] floatTargets, long[] longTargets) implements Serializable {

    /** Rows {@code [from, to)} of {@code data} as shard {@code index}. */
    static Shard of(int index, Dataset data, int from, int to) {
        int n = data.size();
        int fs = n == 0 ? 0 : data.features().size() / n;
        int ts = n == 0 ? 0 : data.targets().size() / n;
        Tensor x = data.features();
        Tensor y = data.targets();
        boolean longX = x.dtype() == DType.INT64;
        boolean longY = y.dtype() == DType.INT64;
        return new Shard(index, from, to - from, fs, ts,
                longX ? null : slice(x.floats(), from * fs, to * fs), longX ? slice(x.longs(), from * fs, to * fs) : null,
                longY ? null : slice(y.floats(), from * ts, to * ts), longY ? slice(y.longs(), from * ts, to * ts) : null);
    }

    /** Copies local rows {@code rows} (in that order) into the features and targets tensors of a batch. */
    void gather(int[] rows, Tensor features, Tensor targets) {
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            if (floatFeatures != null) {
                System.arraycopy(floatFeatures, r * featureSize, features.floats(), i * featureSize, featureSize);
            } else {
                System.arraycopy(longFeatures, r * featureSize, features.longs(), i * featureSize, featureSize);
            }
            if (floatTargets != null) {
                System.arraycopy(floatTargets, r * targetSize, targets.floats(), i * targetSize, targetSize);
            } else {
                System.arraycopy(longTargets, r * targetSize, targets.longs(), i * targetSize, targetSize);
            }
        }
    }

    private static float[] slice(float[] a, int from, int to) {
        return Arrays.copyOfRange(a, from, to);
    }

    private static long[] slice(long[] a, int from, int to) {
        return Arrays.copyOfRange(a, from, to);
    }
}
