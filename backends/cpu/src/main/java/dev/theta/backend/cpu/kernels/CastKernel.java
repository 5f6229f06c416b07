package dev.theta.backend.cpu.kernels;

import dev.theta.api.tensor.DType;

/** Converts elements between float32, bool (0/1 floats) and int64; float to int64 truncates toward zero. */
public final class CastKernel implements Kernel {
    private final DType from;
    private final DType to;
    private final Buf in;
    private final Buf out;
    private final int n;

    public CastKernel(DType from, DType to, Buf in, Buf out, int n) {
        this.from = from;
        this.to = to;
        this.in = in;
        this.out = out;
        this.n = n;
    }

    @Override
    public void run() {
        if (from == DType.INT64) {
            long[] x = in.longs();
            if (to == DType.INT64) {
                System.arraycopy(x, 0, out.longs(), 0, n);
            } else {
                float[] y = out.floats();
                boolean bool = to == DType.BOOL;
                for (int i = 0; i < n; i++) {
                    y[i] = bool ? (x[i] != 0 ? 1f : 0f) : (float) x[i];
                }
            }
            return;
        }
        float[] x = in.floats();
        if (to == DType.INT64) {
            long[] y = out.longs();
            for (int i = 0; i < n; i++) {
                y[i] = (long) x[i];
            }
        } else if (to == DType.BOOL && from != DType.BOOL) {
            float[] y = out.floats();
            for (int i = 0; i < n; i++) {
                y[i] = x[i] != 0 ? 1f : 0f;
            }
        } else {
            System.arraycopy(x, 0, out.floats(), 0, n);
        }
    }
}
