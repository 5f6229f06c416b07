package dev.theta.backend.cpu.kernels;

/**
 * Sums that a kernel computes per image, on {@link Parallel}'s threads in fixed ranges of images, and then adds in
 * image order in doubles: the same bits on any number of threads.
 */
final class ImageSums {
    /** Image n's sums into {@code sums}[n · width, (n + 1) · width), on task {@code task}'s scratch. */
    interface Body {
        void image(int n, int task, double[] sums);
    }

    private final int batch;
    private final int width;
    private final int threads;
    private final Body body;
    private final double[] sums;
    private final Parallel.Job job;

    /** @param width sums per image; {@code threads} 1, or more for a job of twice as many tasks */
    ImageSums(int batch, int width, int threads, Body body) {
        this.batch = batch;
        this.width = width;
        this.threads = threads;
        this.body = body;
        this.sums = new double[batch * width];
        this.job = threads > 1 ? new Parallel.Job(2 * threads, this::images) : null;
    }

    /** How many tasks may run at once, each with its own scratch. */
    int tasks() {
        return job == null ? 1 : job.tasks();
    }

    private void images(int task) {
        for (int n = Parallel.start(task, job.tasks(), batch, 1); n < Parallel.start(task + 1, job.tasks(), batch, 1);
             n++) {
            body.image(n, task, sums);
        }
    }

    /** Computes every image's sums and writes their totals, out[k] = Σ over n of sums[n · width + k]. */
    void run(float[] out) {
        if (job != null) {
            Parallel.of(threads).run(job);
        } else {
            for (int n = 0; n < batch; n++) {
                body.image(n, 0, sums);
            }
        }
        for (int k = 0; k < width; k++) {
            double s = 0;
            for (int n = 0; n < batch; n++) {
                s += sums[n * width + k];
            }
            out[k] = (float) s;
        }
    }
}
