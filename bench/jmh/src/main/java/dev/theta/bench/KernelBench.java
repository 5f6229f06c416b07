package dev.theta.bench;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.backend.cpu.CpuExecutable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The kernels that dominate a Fashion-MNIST step, each as a small graph compiled by the CPU backend (so the numbers
 * include whatever the compiler does: fusion, copies into BLAS buffers, buffer reuse):
 * <ul>
 *   <li>{@code matmul}: x[128, 784] · W[784, 256], the first layer, with the off-heap copies in and out;</li>
 *   <li>{@code matmulGrad}: xᵀ · g, the weight gradient of that layer, with the transpose folded into sgemm;</li>
 *   <li>{@code adam}: Adam's update of a 784×256 weight as the optimizer plugin writes it (moments, bias
 *       corrections, division, subtraction);</li>
 *   <li>{@code crossEntropy}: mean −log softmax picked at the labels, forward and gradient, [128, 10];</li>
 *   <li>{@code biasGrad}: a sum over the batch axis of [128, 256];</li>
 *   <li>{@code step}: one whole MLP 784-256-10 Adam training step at batch 128, from the real plugins;</li>
 *   <li>{@code narrowForward*}, {@code narrowGrad*}: softmax regression's two products, x[128, 784] · W[784, 10] and
 *       xᵀ · g[128, 10], on the vector API kernel and, with it turned off, on OpenBLAS.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class KernelBench {
    @Param({"2"})
    public int threads;

    private CpuExecutable matmul;
    private CpuExecutable matmulGrad;
    private CpuExecutable adam;
    private CpuExecutable crossEntropy;
    private CpuExecutable biasGrad;
    private CpuExecutable step;
    private final CpuExecutable[] narrowForward = new CpuExecutable[2];
    private final CpuExecutable[] narrowGrad = new CpuExecutable[2];
    private float t;

    @Setup(Level.Trial)
    public void setUp() {
        CpuBackend cpu = new CpuBackend(threads);
        Random r = new Random(1);
        {
            Graph g = new Graph();
            Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 784));
            Value w = g.input("w", Role.PARAMETER, random(r, 784, 256));
            g.output("y", x.matmul(w));
            matmul = cpu.compile(g, 128);
        }
        {
            Graph g = new Graph();
            Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 784));
            Value grad = g.input("g", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 256));
            g.output("dw", x.transpose(1, 0).matmul(grad));
            matmulGrad = cpu.compile(g, 128);
        }
        {
            Graph g = new Graph();
            Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 784));
            Value w = g.input("w", Role.PARAMETER, random(r, 784, 256));
            Value lr = g.input(TrainingProgram.LEARNING_RATE, Role.HYPER, DType.FLOAT32, Shape.SCALAR);
            Value stepIndex = g.input(TrainingProgram.STEP, Role.HYPER, DType.FLOAT32, Shape.SCALAR);
            Value grad = g.input("grad", Role.DATA, random(r, 784, 256));
            Value m = g.input("m", Role.STATE, Tensor.zeros(DType.FLOAT32, Shape.of(784, 256)));
            Value v = g.input("v", Role.STATE, Tensor.zeros(DType.FLOAT32, Shape.of(784, 256)));
            // Adam as the optimizers module writes it (PyTorch's arithmetic), with x unused but present as in a step.
            Value m2 = m.mul(0.9f).add(grad.mul(0.1f));
            Value v2 = v.mul(0.999f).add(grad.mul(grad).mul(0.001f));
            Value c1 = stepIndex.mul((float) Math.log(0.9)).exp().rsub(1f);
            Value c2 = stepIndex.mul((float) Math.log(0.999)).exp().rsub(1f);
            Value next = w.sub(lr.div(c1).mul(m2.div(v2.sqrt().div(c2.sqrt()).add(1e-8f))));
            g.output("next/w", next);
            g.output("next/m", m2);
            g.output("next/v", v2);
            g.carry("next/w", "w");
            g.carry("next/m", "m");
            g.carry("next/v", "v");
            g.output("unused", x.sum());
            adam = cpu.compile(g, 128);
            adam.input(TrainingProgram.LEARNING_RATE).floats()[0] = 1e-3f;
        }
        {
            Graph g = new Graph();
            Value s = g.input("s", Role.PARAMETER, random(r, 128, 10));
            Value y = g.input("y", Role.DATA, DType.INT64, Shape.of(128));
            Value loss = s.logSoftmax(1).gatherElements(y.reshape(128, 1), 1).neg().mean();
            g.output("loss", loss);
            g.output("ds", dev.theta.api.autodiff.Autodiff.gradients(loss, java.util.List.of(s)).get(s));
            crossEntropy = cpu.compile(g, 128);
        }
        {
            Graph g = new Graph();
            Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 256));
            g.output("b", x.sum(0));
            biasGrad = cpu.compile(g, 128);
        }
        for (int i = 0; i < 2; i++) {
            CpuBackend backend = new CpuBackend(threads, i == 0);
            Graph forward = new Graph();
            Value x = forward.input("x", Role.DATA, random(r, 128, 784));
            forward.output("y", x.matmul(forward.input("w", Role.PARAMETER, random(r, 784, 10))));
            narrowForward[i] = backend.compile(forward, 128);
            Graph grad = new Graph();
            Value xg = grad.input("x", Role.DATA, random(r, 128, 784));
            grad.output("dw", xg.transpose(1, 0).matmul(grad.input("g", Role.DATA, random(r, 128, 10))));
            narrowGrad[i] = backend.compile(grad, 128);
        }
        step = (CpuExecutable) cpu.compile(Programs.step("mlp"), 128);
        Programs.fillBatch(step.input(TrainingProgram.FEATURES), step.input(TrainingProgram.TARGETS), 1);
        step.input(TrainingProgram.LEARNING_RATE).floats()[0] = 1e-3f;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (CpuExecutable e : new CpuExecutable[] {matmul, matmulGrad, adam, crossEntropy, biasGrad, step,
                narrowForward[0], narrowForward[1], narrowGrad[0], narrowGrad[1]}) {
            e.close();
        }
    }

    private static Tensor random(Random r, int rows, int cols) {
        float[] d = new float[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (r.nextGaussian() * 0.05);
        }
        return Tensor.of(Shape.of(rows, cols), d);
    }

    @Benchmark
    public float matmul() {
        matmul.run();
        return matmul.output("y").floats()[0];
    }

    @Benchmark
    public float matmulGrad() {
        matmulGrad.run();
        return matmulGrad.output("dw").floats()[0];
    }

    @Benchmark
    public float adam() {
        adam.input(TrainingProgram.STEP).floats()[0] = ++t;
        adam.run();
        return adam.output("next/w").floats()[0];
    }

    @Benchmark
    public float crossEntropy() {
        crossEntropy.run();
        return crossEntropy.output("loss").floats()[0];
    }

    @Benchmark
    public float biasGrad() {
        biasGrad.run();
        return biasGrad.output("b").floats()[0];
    }

    @Benchmark
    public float step() {
        step.input(TrainingProgram.STEP).floats()[0] = ++t;
        step.run();
        return step.output(TrainingProgram.LOSS).floats()[0];
    }

    @Benchmark
    public float narrowForwardVector() {
        return run(narrowForward[0], "y");
    }

    @Benchmark
    public float narrowForwardBlas() {
        return run(narrowForward[1], "y");
    }

    @Benchmark
    public float narrowGradVector() {
        return run(narrowGrad[0], "dw");
    }

    @Benchmark
    public float narrowGradBlas() {
        return run(narrowGrad[1], "dw");
    }

    private static float run(CpuExecutable e, String output) {
        e.run();
        return e.output(output).floats()[0];
    }
}
