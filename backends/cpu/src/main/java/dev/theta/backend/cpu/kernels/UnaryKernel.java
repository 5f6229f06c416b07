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
        FloatOps.unary(fn, in.floats(), out.floats(), 0, n);
    }
}
