package dev.theta.core.datasets;

import dev.theta.api.data.InMemoryDataset;
import dev.theta.api.spi.Dataset;
import dev.theta.api.tensor.Tensor;

/**
 * Per-feature standardisation x' = (x - mean) / std with statistics computed once, from training data, and applied
 * unchanged to any other data (test, predictions). std is the population standard deviation (divisor n); a feature
 * with std 0 (constant in the training data) is only centred, never divided.
 */
public final class Standardization {
    private final float[] mean;
    private final float[] std;

    private Standardization(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** Mean and standard deviation of each feature of {@code train}, accumulated in double precision. */
    public static Standardization fit(Dataset train) {
        int n = train.size();
        if (n == 0) {
            throw new IllegalArgumentException("cannot standardise with statistics of an empty dataset: " + train.source());
        }
        int width = train.spec().featureSize();
        float[] x = train.features().floats();
        double[] sum = new double[width];
        for (int r = 0; r < n; r++) {
            for (int f = 0; f < width; f++) {
                sum[f] += x[r * width + f];
            }
        }
        double[] squares = new double[width];
        for (int r = 0; r < n; r++) {
            for (int f = 0; f < width; f++) {
                double d = x[r * width + f] - sum[f] / n;
                squares[f] += d * d;
            }
        }
        float[] mean = new float[width];
        float[] std = new float[width];
        for (int f = 0; f < width; f++) {
            mean[f] = (float) (sum[f] / n);
            std[f] = (float) Math.sqrt(squares[f] / n);
        }
        return new Standardization(mean, std);
    }

    /** {@code data} with standardised features (a new dataset; {@code data} is unchanged). */
    public InMemoryDataset apply(Dataset data) {
        int width = mean.length;
        if (data.spec().featureSize() != width) {
            throw new IllegalArgumentException("statistics are for " + width + " features, " + data.source() + " has "
                    + data.spec().featureSize());
        }
        float[] x = data.features().floats();
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int f = i % width;
            float centred = x[i] - mean[f];
            out[i] = std[f] == 0 ? centred : centred / std[f];
        }
        return new InMemoryDataset(data.spec(), Tensor.of(data.features().shape(), out), data.targets(), data.source() + " standardised");
    }

    /** Statistics saved by an earlier run. */
    public static Standardization of(float[] mean, float[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException(mean.length + " means but " + std.length + " deviations");
        }
        return new Standardization(mean.clone(), std.clone());
    }

    /** Per-feature means (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** Per-feature population standard deviations (a copy). */
    public float[] std() {
        return std.clone();
    }
}
