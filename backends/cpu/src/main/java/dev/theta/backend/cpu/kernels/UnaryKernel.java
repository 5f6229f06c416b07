package dev.theta.backend.cpu.kernels;

import dev.theta.api.ops.UnaryFn;

/** An elementwise function of one float32 tensor; input and output have the same shape, so it is one flat loop. */
public final class UnaryKernel implements Kernel {
    private final UnaryFn fn;
    private final Buf in;
    private final Buf out;
    private final int n;

    public UnaryKernel(UnaryFn fn, Buf in, Buf out, int n) {
        this.fn = fn;
        this.in = in;
        this.out = out;
        this.n = n;
    }

    @Override
    public void run() {
        float[] x = in.floats();
        float[] y = out.floats();
        switch (fn) {
            case NEG -> {
                for (int i = 0; i < n; i++) {
                    y[i] = -x[i];
                }
            }
            case EXP -> {
                for (int i = 0; i < n; i++) {
                    y[i] = (float) Math.exp(x[i]);
                }
            }
            case LOG -> {
                for (int i = 0; i < n; i++) {
                    y[i] = (float) Math.log(x[i]);
                }
            }
            case SQRT -> {
                for (int i = 0; i < n; i++) {
                    y[i] = (float) Math.sqrt(x[i]);
                }
            }
            case ABS -> {
                for (int i = 0; i < n; i++) {
                    y[i] = Math.abs(x[i]);
                }
            }
            case SIGN -> {
                for (int i = 0; i < n; i++) {
                    y[i] = Math.signum(x[i]);
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    y[i] = Math.max(x[i], 0f);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    y[i] = (float) Math.tanh(x[i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    y[i] = (float) (1 / (1 + Math.exp(-x[i])));
                }
            }
        }
    }
}
