package dev.theta.backend.cpu.kernels;

/**
 * The bias gradient of a convolution whose output goes through ReLU and then MaxPool, read straight from the
 * pooling's gradient: db[o] = Σ over images and pooled positions of channel o of the update u where the pooled value
 * is > 0 (ReLU's mask at the argmax), instead of a sum over the scatter of those updates into the activation's shape
 * ({@code Schedule#pooledGradients}). Plain Java, no vector API, so a run's bits do not depend on whether the JVM
 * has it: four interleaved float sums per plane (one chain of adds would wait on each), then doubles per image
 * ({@link ImageSums}).
 */
public final class PooledBiasGradientKernel implements Kernel {
    private static final int PARALLEL_MIN_UPDATES = 1 << 15;

    private final Buf updates;
    private final Buf pooled;
    private final Buf out;
    private final int channels;
    private final int perPlane;
    private final int positions;
    private final int threads;
    private final ImageSums sums;

    /** @param pooledDims the dims [N, O, Hp, Wp] of the pooling's output: the updates and the pooled values */
    public PooledBiasGradientKernel(Buf updates, Buf pooled, int[] pooledDims, Buf out, int maxThreads) {
        this.updates = updates;
        this.pooled = pooled;
        this.out = out;
        this.channels = pooledDims[1];
        this.perPlane = pooledDims[2] * pooledDims[3];
        this.positions = pooledDims[0] * channels * perPlane;
        this.threads = positions >= PARALLEL_MIN_UPDATES && pooledDims[0] > 1 ? maxThreads : 1;
        this.sums = new ImageSums(pooledDims[0], channels, threads, this::image);
    }

    @Override
    public String describe() {
        return "Bias gradient from the MaxPool gradient of " + positions + " positions, " + threads + " thread(s)";
    }

    @Override
    public void run() {
        sums.run(out.floats());
    }

    private void image(int n, int task, double[] to) {
        float[] u = updates.floats();
        float[] v = pooled.floats();
        for (int o = 0; o < channels; o++) {
            int from = (n * channels + o) * perPlane;
            int end = from + perPlane;
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int q = from;
            for (; q + 4 <= end; q += 4) {
                s0 += masked(u[q], v[q]);
                s1 += masked(u[q + 1], v[q + 1]);
                s2 += masked(u[q + 2], v[q + 2]);
                s3 += masked(u[q + 3], v[q + 3]);
            }
            float s = (s0 + s1) + (s2 + s3);
            for (; q < end; q++) {
                s += masked(u[q], v[q]);
            }
            to[n * channels + o] = s;
        }
    }

    /**
     * u where v > 0, else +0, without a branch (a ReLU's sign is a coin toss to the branch predictor): v > 0 exactly
     * when v's bits, as an int, lie in [1, 0x7f800000] (positive, up to +∞; not +0, −0, a negative or NaN).
     */
    static float masked(float u, float v) {
        int bits = Float.floatToRawIntBits(v);
        int keep = (-bits >> 31) & ((bits - 0x7f800001) >> 31);
        return Float.intBitsToFloat(Float.floatToRawIntBits(u) & keep);
    }
}
