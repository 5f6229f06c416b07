package dev.theta.backend.cpu.kernels;

import java.util.Arrays;

/** The float32 identity matrix of a rank-2 shape. */
public final class EyeLikeKernel implements Kernel {
    private final Buf out;
    private final int rows;
    private final int cols;

    public EyeLikeKernel(Buf out, int rows, int cols) {
        this.out = out;
        this.rows = rows;
        this.cols = cols;
    }

    @Override
    public void run() {
        float[] y = out.floats();
        Arrays.fill(y, 0, rows * cols, 0f);
        for (int i = 0; i < Math.min(rows, cols); i++) {
            y[i * cols + i] = 1f;
        }
    }
}
