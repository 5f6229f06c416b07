package dev.theta.backend.cpu.bench;

import dev.theta.api.graph.Graph;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.backend.cpu.CpuExecutable;
import dev.theta.backend.cpu.TrainingGraphs;

/**
 * Times whole training steps at batch 128 on Fashion-MNIST shapes and prints seconds per epoch-equivalent (469
 * steps). Run with {@code java -cp <test classpath> dev.theta.backend.cpu.bench.StepBench [threads]}.
 */
public final class StepBench {
    private static final int STEPS = 469;
    private static final int BATCH = 128;

    private StepBench() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        CpuBackend cpu = new CpuBackend(threads);
        time("softmax regression 784->10, SGD", cpu, TrainingGraphs.softmaxRegression(784, 10, 1));
        time("MLP 784-256-10, Adam", cpu, TrainingGraphs.mlpAdam(784, 256, 10, 1));
        time("CNN conv8-pool-conv16-pool-dense, SGD", cpu, TrainingGraphs.cnnSgd(28, 10, 1));
    }

    private static void time(String label, CpuBackend cpu, Graph graph) {
        try (CpuExecutable e = cpu.compile(graph, BATCH)) {
            TrainingGraphs.fillBatch(e.input("x"), e.input("y"), 10, 1);
            e.input("lr").floats()[0] = 1e-3f;
            double best = Double.MAX_VALUE;
            for (int epoch = 0; epoch < 5; epoch++) {
                long t0 = System.nanoTime();
                for (int s = 0; s < STEPS; s++) {
                    if (graph.inputs().containsKey("step")) {
                        e.input("step").floats()[0] = epoch * STEPS + s + 1;
                    }
                    e.run();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (epoch > 0) {
                    best = Math.min(best, seconds);
                }
            }
            System.out.printf("%-34s %d kernels  %.3f s/epoch (%d steps, batch %d, best of 4 after warm-up), loss %.4f%n",
                    label, e.kernelCount(), best, STEPS, BATCH, e.output("loss").floats()[0]);
        }
    }
}
