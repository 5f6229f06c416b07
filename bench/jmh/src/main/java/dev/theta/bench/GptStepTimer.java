package dev.theta.bench;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Executable;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.LossProvider;
import dev.theta.api.spi.OptimizerProvider;
import dev.theta.api.spi.Provider;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.train.TrainingProgram;
import dev.theta.backend.cpu.CpuBackend;
import dev.theta.backend.cpu.CpuExecutable;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Times the transformer's training step (nanoGPT's CPU recipe model: 4 layers, 4 heads, embedding 128, windows of
 * 64 characters, batch 12, AdamW, gradients clipped at norm 1) on the CPU backend over random windows of tiny
 * Shakespeare, without the runner: {@code GptStepTimer TEXT [ITERS] [THREADS] [BATCH] [--kernels|--kernels-cpu|
 * --kernels-alloc]}.
 * Prints the median and mean step time, tokens/s and GFLOP/s by nanoGPT's estimate (6·N per token plus attention
 * 12·L·T·C), with {@code --kernels} each kernel's share of the step (wall time; {@code --kernels-cpu}: the calling
 * thread's CPU time). On a shared machine the wall time moves with the other work; CPU time moves less: the calling
 * thread's per step (median), and the whole process's (its mean over the timed steps: workers, spinning or not, and
 * the JVM's own threads count). {@code --kernels-alloc} lists the kernels that allocate in the calling thread (bytes a
 * step): a compiled step allocates nothing, so these are vector-API code that this CPU's JIT runs lane by lane.
 */
public final class GptStepTimer {
    private static final int LAYERS = 4;
    private static final int HEADS = 4;
    private static final int EMBEDDING = 128;
    private static final int BLOCK = 64;

    private GptStepTimer() {
    }

    public static void main(String[] args) throws IOException {
        boolean cpuProfile = Arrays.asList(args).contains("--kernels-cpu");
        boolean allocProfile = Arrays.asList(args).contains("--kernels-alloc");
        boolean profile = Arrays.asList(args).contains("--kernels") || cpuProfile || allocProfile;
        args = Arrays.stream(args).filter(a -> !a.startsWith("--kernels")).toArray(String[]::new);
        String text = Files.readString(Path.of(args[0]));
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 12;
        TreeSet<Character> chars = new TreeSet<>();
        for (char c : text.toCharArray()) {
            chars.add(c);
        }
        List<Character> vocabulary = List.copyOf(chars);
        long[] ids = new long[text.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.indexOf(text.charAt(i));
        }
        int v = vocabulary.size();
        DataSpec spec = new DataSpec(Shape.of(BLOCK), DType.INT64, v, IntStream.range(0, v).mapToObj(Integer::toString).toList(),
                Shape.of(BLOCK));
        HypothesisProvider hp = plugin(HypothesisProvider.class, "transformer");
        LossProvider lp = plugin(LossProvider.class, "cross-entropy");
        OptimizerProvider op = plugin(OptimizerProvider.class, "adamw");
        Graph step = TrainingProgram.build(spec,
                hp.create(hp.options().validate(Map.of("layers", LAYERS, "heads", HEADS, "embedding", EMBEDDING, "bias", false),
                        "hypothesis", Set.of()), spec, v),
                lp.create(lp.options().validate(Map.of(), "loss", Set.of()), spec),
                op.create(op.options().validate(Map.of("lr", 1e-3, "weight-decay", 0.1), "optimizer", Set.of())), 1337, 1.0).step();
        long params = step.initialValues().entrySet().stream().filter(e -> e.getKey().startsWith("param/"))
                .mapToLong(e -> e.getValue().size()).sum();
        int warmup = Math.min(5, iters / 5);
        Random random = new Random(1337);
        double[] seconds = new double[iters];
        double[] cpuSeconds = new double[iters];
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var thread = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        long processCpu = 0;
        try (Executable e = new CpuBackend(threads).compile(step, batch)) {
            long[] nanos = profile ? new long[((CpuExecutable) e).kernelCount()] : null;
            long[] x = e.input(TrainingProgram.FEATURES).longs();
            long[] y = e.input(TrainingProgram.TARGETS).longs();
            e.input(TrainingProgram.LEARNING_RATE).floats()[0] = 1e-3f;
            for (int it = 0; it < iters; it++) {
                for (int b = 0; b < batch; b++) {
                    int start = random.nextInt(ids.length - BLOCK - 1);
                    System.arraycopy(ids, start, x, b * BLOCK, BLOCK);
                    System.arraycopy(ids, start + 1, y, b * BLOCK, BLOCK);
                }
                e.input(TrainingProgram.STEP).floats()[0] = it + 1;
                if (it == warmup) {
                    processCpu = os.getProcessCpuTime();
                }
                long c0 = thread.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                if (nanos != null && it >= warmup) {
                    ((CpuExecutable) e).runTimed(nanos, allocProfile ? () -> thread.getThreadAllocatedBytes(self)
                            : cpuProfile ? thread::getCurrentThreadCpuTime : System::nanoTime);
                } else {
                    e.run();
                }
                seconds[it] = (System.nanoTime() - t0) / 1e9;
                cpuSeconds[it] = (thread.getCurrentThreadCpuTime() - c0) / 1e9;
            }
            processCpu = os.getProcessCpuTime() - processCpu;
            double[] timed = Arrays.copyOfRange(seconds, warmup, iters);
            double[] sorted = timed.clone();
            Arrays.sort(sorted);
            double median = sorted[sorted.length / 2];
            double mean = Arrays.stream(timed).average().orElse(0);
            double[] cpu = Arrays.copyOfRange(cpuSeconds, warmup, iters);
            Arrays.sort(cpu);
            long tokens = (long) batch * BLOCK;
            double flopsPerToken = 6.0 * params + 12.0 * LAYERS * BLOCK * EMBEDDING;
            System.out.printf("theta gpt b%d: %d parameters, median %.2f ms/iter, mean %.2f ms, %.0f tokens/s, %.1f GFLOP/s,"
                            + " loss %.4f after %d iterations, %d kernels%n", batch, params, median * 1e3, mean * 1e3,
                    tokens / median, flopsPerToken * tokens / median / 1e9, e.output(TrainingProgram.LOSS).floats()[0], iters,
                    ((CpuExecutable) e).kernelCount());
            System.out.printf("CPU: calling thread median %.2f ms/iter, process mean %.2f ms/iter%n",
                    cpu[cpu.length / 2] * 1e3, processCpu / 1e6 / (iters - warmup));
            System.out.println("peak RSS " + peakRss());
            if (nanos != null && allocProfile) {
                StepTimer.printAllocations((CpuExecutable) e, nanos, iters - warmup);
            } else if (nanos != null) {
                StepTimer.printProfile((CpuExecutable) e, nanos, iters - warmup);
            }
        }
    }

    /** VmHWM of /proc/self/status: the resident set's high-water mark. */
    private static String peakRss() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> l.substring(6).trim()).findFirst().orElse("unknown");
    }

    private static <P extends Provider> P plugin(Class<P> kind, String name) {
        for (P p : ServiceLoader.load(kind)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no " + kind.getSimpleName() + " named " + name);
    }
}
