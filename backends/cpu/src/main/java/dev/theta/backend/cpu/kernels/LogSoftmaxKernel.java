package dev.theta.backend.cpu.kernels;

/**
 * log softmax along one axis, stable: x - max - log(sum(exp(x - max))), with the sum in double. The tensor is seen as
 * [outer, length, inner]; the usual case (last axis) has inner = 1 and reads each row contiguously.
 */
public final class LogSoftmaxKernel implements Kernel {
    private final Buf in;
    private final Buf out;
    private final int outer;
    private final int length;
    private final int inner;

    public LogSoftmaxKernel(Buf in, Buf out, int[] dims, int axis) {
        this.in = in;
        this.out = out;
        int o = 1;
        for (int i = 0; i < axis; i++) {
            o *= dims[i];
        }
        int r = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            r *= dims[i];
        }
        this.outer = o;
        this.length = dims[axis];
        this.inner = r;
    }

    @Override
    public void run() {
        float[] x = in.floats();
        float[] y = out.floats();
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * length * inner + j;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < length; i++) {
                    max = Math.max(max, x[base + i * inner]);
                }
                double sum = 0;
                for (int i = 0; i < length; i++) {
                    sum += Math.exp(x[base + i * inner] - max);
                }
                double shift = max + Math.log(sum);
                for (int i = 0; i < length; i++) {
                    y[base + i * inner] = (float) (x[base + i * inner] - shift);
                }
            }
        }
    }
}
