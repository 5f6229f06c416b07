package dev.theta.backend.cpu.kernels;

/**
 * Softmax or log softmax along one axis, stable: with m the maximum and s = sum(exp(x - m)), softmax is
 * exp(x - m) / s and log softmax x - m - log(s). The tensor is seen as [outer, length, inner]. The usual case, the
 * last axis (inner = 1), reads each row contiguously and runs on the vector API where it is
 * {@linkplain VectorApi#AVAILABLE available} and a row holds at least one vector (float sums, the vector API's exp);
 * otherwise, and along other axes, the sum runs in double with {@link Math#exp}. Softmax is what the plan makes of exp(LogSoftmax(x)): one pass less
 * and no separate exp kernel. With several threads, large tensors split their outer rows over {@link Parallel}'s.
 */
public final class SoftmaxKernel implements Kernel {
    private final Buf in;
    private final Buf out;
    private final boolean log;
    private final int outer;
    private final int length;
    private final int inner;
    private final int threads;
    private final boolean vector;
    /** Blocks of outer rows on several threads; null on one. */
    private final Parallel.Job blocks;

    /** @param log whether to compute log softmax rather than softmax */
    public SoftmaxKernel(Buf in, Buf out, int[] dims, int axis, boolean log, int threads) {
        this.in = in;
        this.out = out;
        this.log = log;
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
        this.threads = threads;
        this.vector = r == 1 && VectorApi.AVAILABLE && length >= VectorMath.lanes();
        int parts = threads > 1 && (long) o * length * r >= FusedKernel.PARALLEL_MIN ? Math.min(o, 2 * threads) : 1;
        this.blocks = parts > 1 ? new Parallel.Job(parts, this::block) : null;
    }

    @Override
    public String describe() {
        return (log ? "LogSoftmax " : "Softmax ") + outer + " x " + length + (inner == 1 ? "" : " x " + inner)
                + (vector ? ", vector API" : "") + (blocks != null ? ", " + threads + " threads" : "");
    }

    @Override
    public void run() {
        if (blocks != null) {
            Parallel.of(threads).run(blocks);
        } else {
            block(0);
        }
    }

    private void block(int part) {
        int parts = blocks == null ? 1 : blocks.tasks();
        int first = Parallel.start(part, parts, outer, 1);
        int last = Parallel.start(part + 1, parts, outer, 1);
        float[] x = in.floats();
        float[] y = out.floats();
        if (vector) {
            for (int o = first; o < last; o++) {
                VectorMath.softmaxRow(x, y, o * length, length, log);
            }
            return;
        }
        for (int o = first; o < last; o++) {
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
                if (log) {
                    double shift = max + Math.log(sum);
                    for (int i = 0; i < length; i++) {
                        y[base + i * inner] = (float) (x[base + i * inner] - shift);
                    }
                } else {
                    for (int i = 0; i < length; i++) {
                        y[base + i * inner] = (float) (Math.exp(x[base + i * inner] - max) / sum);
                    }
                }
            }
        }
    }
}
