package dev.theta.backend.onnxruntime.bench;

import dev.theta.api.graph.Graph;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.Loss;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.spi.Provider;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.onnxruntime.Device;
import dev.theta.backend.onnxruntime.OnnxRuntimeBackend;
import dev.theta.backend.onnxruntime.OrtExecutable;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Times whole training steps at batch 128 on Fashion-MNIST shapes in ONNX Runtime's CPU provider and prints seconds
 * per epoch-equivalent (469 steps; with K steps per call, 469 / K whole calls scaled to 469 steps). Run with
 * {@code java -cp <test classpath> dev.theta.backend.onnxruntime.bench.StepBench [threads]}.
 */
public final class StepBench {
    private static final int STEPS = 469;
    private static final int BATCH = 128;
    private static final DataSpec FASHION = DataSpec.classification(Shape.of(784), 10,
            IntStream.range(0, 10).mapToObj(Integer::toString).toList());

    private StepBench() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        PluginRegistry registry = PluginRegistry.discover(StepBench.class.getClassLoader());
        for (int k : List.of(1, 16)) {
            OnnxRuntimeBackend ort = new OnnxRuntimeBackend(Device.CPU, 0, threads, k);
            time("softmax regression 784->10, SGD, " + k + "/call", ort, step(registry, "linear", "sgd"));
            time("MLP 784-256-10, Adam, " + k + "/call", ort, step(registry, "mlp", "adam"));
        }
    }

    private static Graph step(PluginRegistry registry, String hypothesis, String optimizer) {
        HypothesisProvider h = registry.get(PluginKind.HYPOTHESIS, HypothesisProvider.class, hypothesis);
        LossProvider l = registry.get(PluginKind.LOSS, LossProvider.class, "cross-entropy");
        OptimizerProvider o = registry.get(PluginKind.OPTIMIZER, OptimizerProvider.class, optimizer);
        Loss loss = l.create(defaults(l), FASHION);
        return TrainingProgram.build(FASHION, h.create(defaults(h), FASHION, loss.scores(FASHION)), loss,
                o.create(defaults(o)), 1).step();
    }

    private static dev.theta.api.options.Options defaults(Provider p) {
        return p.options().validate(Map.of(), p.name(), Collections.emptyList());
    }

    private static void time(String label, OnnxRuntimeBackend backend, Graph graph) {
        try (OrtExecutable e = backend.compile(graph, BATCH)) {
            int k = e.stepsPerCall();
            fill(e.input(TrainingProgram.FEATURES), e.input(TrainingProgram.TARGETS));
            Tensor lr = e.input(TrainingProgram.LEARNING_RATE);
            Tensor t = e.input(TrainingProgram.STEP);
            java.util.Arrays.fill(lr.floats(), 1e-3f);
            int calls = STEPS / k;
            double best = Double.MAX_VALUE;
            for (int epoch = 0; epoch < 5; epoch++) {
                long t0 = System.nanoTime();
                for (int c = 0; c < calls; c++) {
                    for (int i = 0; i < k; i++) {
                        t.floats()[i] = (float) epoch * STEPS + c * k + i + 1;
                    }
                    e.run();
                }
                double seconds = (System.nanoTime() - t0) / 1e9 * STEPS / (calls * k);
                if (epoch > 0) {
                    best = Math.min(best, seconds);
                }
            }
            System.out.printf("%-42s %.3f s/epoch (%d steps, batch %d, best of 4 after warm-up), loss %.4f%n",
                    label, best, STEPS, BATCH, e.output(TrainingProgram.LOSS).floats()[0]);
        }
    }

    private static void fill(Tensor x, Tensor y) {
        Random r = new Random(1);
        float[] xf = x.floats();
        for (int i = 0; i < xf.length; i++) {
            xf[i] = r.nextFloat();
        }
        long[] yl = y.longs();
        for (int i = 0; i < yl.length; i++) {
            yl[i] = r.nextInt(10);
        }
    }
}
