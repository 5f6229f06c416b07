package dev.theta.bench;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Executable;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.backend.cpu.CpuExecutable;

import java.util.Arrays;
import java.util.Random;

/**
 * Times epochs of the real training step on the CPU backend over Fashion-MNIST's training split, shuffled and copied
 * into the batch row by row as the runner does, without the runner:
 * {@code StepTimer MODEL BATCH [EPOCHS] [THREADS] [--kernels] [--cpu-clock] [--alloc-clock] [--steps=N]} (N: steps
 * per epoch, fewer than a whole epoch's, for models whose epochs take minutes; {@code --cpu-clock}: the kernels' shares
 * in the calling thread's CPU time, which on a loaded machine, with one thread, is steadier than wall time;
 * {@code --alloc-clock}: the kernels that allocate in the calling thread, vector-API code this CPU's JIT runs lane by
 * lane). Prints one line: median seconds, GFLOP/s, kernels;
 * with {@code --kernels}, also each kernel's share of the step (wall time of the epochs after the first). Real data
 * matters: one batch repeated drives the gradients into
 * float subnormals, which make elementwise kernels a hundred times slower than they are in training.
 */
public final class StepTimer {
    private StepTimer() {
    }

    public static void main(String[] args) {
        boolean allocClock = Arrays.asList(args).contains("--alloc-clock");
        boolean profile = Arrays.asList(args).contains("--kernels") || allocClock;
        boolean cpuClock = Arrays.asList(args).contains("--cpu-clock");
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        int stepLimit = Arrays.stream(args).filter(a -> a.startsWith("--steps=")).mapToInt(a -> Integer.parseInt(a.substring(8)))
                .findFirst().orElse(Integer.MAX_VALUE);
        args = Arrays.stream(args).filter(a -> !a.startsWith("--")).toArray(String[]::new);
        String model = args[0];
        int batch = Integer.parseInt(args[1]);
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        Graph graph = Programs.step(model);
        FashionMnist data = FashionMnist.train();
        int steps = Math.min(stepLimit, data.size() / batch);
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random shuffler = new Random(0);
        double[] seconds = new double[epochs];
        try (Executable e = new CpuBackend(threads).compile(graph, batch)) {
            float[] x = e.input(TrainingProgram.FEATURES).floats();
            long[] y = e.input(TrainingProgram.TARGETS).longs();
            // Per-kernel nanoseconds for --kernels (the CPU backend is what this tool times).
            long[] nanos = profile ? new long[((CpuExecutable) e).kernelCount()] : null;
            int row = Programs.FEATURES;
            e.input(TrainingProgram.LEARNING_RATE).floats()[0] = 1e-3f;
            long t = 0;
            for (int epoch = 0; epoch < epochs; epoch++) {
                long t0 = System.nanoTime();
                for (int i = order.length - 1; i > 0; i--) {
                    int j = shuffler.nextInt(i + 1);
                    int swap = order[i];
                    order[i] = order[j];
                    order[j] = swap;
                }
                for (int s = 0; s < steps; s++) {
                    for (int b = 0; b < batch; b++) {
                        int example = order[s * batch + b];
                        System.arraycopy(data.pixels(), example * row, x, b * row, row);
                        y[b] = data.labels()[example];
                    }
                    e.input(TrainingProgram.STEP).floats()[0] = ++t;
                    if (nanos != null && epoch > 0) {
                        if (allocClock) {
                            ((CpuExecutable) e).runTimed(nanos, () -> mx.getThreadAllocatedBytes(self));
                        } else if (cpuClock) {
                            ((CpuExecutable) e).runTimed(nanos, mx::getCurrentThreadCpuTime);
                        } else {
                            ((CpuExecutable) e).runTimed(nanos);
                        }
                    } else {
                        e.run();
                    }
                }
                seconds[epoch] = (System.nanoTime() - t0) / 1e9;
            }
            double[] sorted = seconds.clone();
            Arrays.sort(sorted);
            double median = sorted[epochs / 2];
            double gflops = (double) Programs.flopsPerExample(model) * steps * batch / median / 1e9;
            // lr 1e-3 suits Adam; SGD cases train with 0.1 in the suite, but the step's cost does not depend on it.
            System.out.printf("%s b%d: median %.4f s/epoch (%d steps), %.1f GFLOP/s, %d kernels, epochs %s, loss %.4f%n",
                    model, batch, median, steps, gflops,
                    e instanceof dev.theta.backend.cpu.CpuExecutable c ? c.kernelCount() : -1,
                    Arrays.toString(Arrays.stream(seconds).map(v -> Math.round(v * 1000) / 1000.0).toArray()),
                    e.output(TrainingProgram.LOSS).floats()[0]);
            if (nanos != null && allocClock) {
                printAllocations((CpuExecutable) e, nanos, (long) steps * (epochs - 1));
            } else if (nanos != null) {
                printProfile((CpuExecutable) e, nanos, (long) steps * (epochs - 1));
            }
        }
    }

    /** The kernels that allocated a kilobyte a step or more. */
    static void printAllocations(CpuExecutable c, long[] bytes, long steps) {
        boolean any = false;
        for (int i = 0; i < bytes.length; i++) {
            // A kilobyte a step or more: below that, the JIT's one-off allocations (a deoptimisation) spread thin.
            if (bytes[i] / steps >= 1024) {
                System.out.printf("  %10d bytes a step  #%d %s%n", bytes[i] / steps, i, c.describeKernel(i));
                any = true;
            }
        }
        System.out.println(any ? "(allocating kernels run vector-API code lane by lane on this CPU)"
                : "no kernel allocates in the calling thread");
    }

    /** Kernels by total time, largest first, until 99 % of the step is listed. */
    static void printProfile(CpuExecutable c, long[] nanos, long steps) {
        long total = Arrays.stream(nanos).sum();
        Integer[] order = new Integer[nanos.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(nanos[b], nanos[a]));
        System.out.printf("step %.1f us over %d steps; kernels by time:%n", total / 1e3 / steps, steps);
        long listed = 0;
        for (int i : order) {
            System.out.printf("  %5.1f %%  %8.1f us  #%d %s%n", 100.0 * nanos[i] / total, nanos[i] / 1e3 / steps, i,
                    c.describeKernel(i));
            listed += nanos[i];
            if (listed >= 0.99 * total) {
                break;
            }
        }
    }
}
