package dev.theta.backend.cpu.kernels;

/** Row-major and broadcast strides of concrete shapes. */
public final class Strides {
    private Strides() {
    }

    public static int size(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public static int[] rowMajor(int[] dims) {
        int[] s = new int[dims.length];
        int step = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = step;
            step *= dims[i];
        }
        return s;
    }

    /**
     * Strides that read a tensor of shape {@code in} at the positions of the broadcast shape {@code out}: the leading
     * axes {@code in} lacks and its size-1 axes get stride 0, so that they repeat.
     */
    public static int[] broadcast(int[] in, int[] out) {
        int[] own = rowMajor(in);
        int[] s = new int[out.length];
        int lead = out.length - in.length;
        for (int i = lead; i < out.length; i++) {
            s[i] = in[i - lead] == 1 ? 0 : own[i - lead];
        }
        return s;
    }
}
