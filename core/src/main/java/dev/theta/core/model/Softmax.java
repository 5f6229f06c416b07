package dev.theta.core.model;

/** Probabilities from one row of scores, in double as the loss computes them, rounded to float at the end. */
public final class Softmax {
    private Softmax() {
    }

    /** softmax of {@code scores[from, from + k)}. */
    public static float[] of(float[] scores, int from, int k) {
        float[] p = new float[k];
        into(scores, from, k, new double[k], p, 0);
        return p;
    }

    /**
     * softmax of {@code scores[from, from + k)} into {@code out[at, at + k)}, with {@code exps} (at least k long) as
     * scratch; {@code out} may be {@code scores} at the same offset, since every score is read before it is written.
     */
    public static void into(float[] scores, int from, int k, double[] exps, float[] out, int at) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, scores[from + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            exps[j] = Math.exp(scores[from + j] - max);
            sum += exps[j];
        }
        for (int j = 0; j < k; j++) {
            out[at + j] = (float) (exps[j] / sum);
        }
    }
}
