package dev.theta.backend.cpu;

import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.Tensor;
import dev.theta.backend.cpu.kernels.Buf;
import dev.theta.backend.cpu.kernels.Kernel;
import dev.theta.backend.cpu.kernels.MatMulScratch;

import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A graph compiled by the CPU backend for one batch size: a fixed array of kernels over preallocated slots. A run
 * allocates nothing.
 *
 * <p><b>Carries and tensor identity.</b> After each {@link #run}, every carried output's data becomes its input's
 * data by exchanging the two tensors (no copy). Therefore:
 * <ul>
 *   <li>inputs that are not carried (data batches, learning rate, step) keep one {@link Tensor} object for the
 *       executable's lifetime: fetch it once and refill it in place before each run;</li>
 *   <li>for carried inputs (parameters, optimizer state) call {@link #input} again after every run: the object
 *       returned before the run now holds storage the next run overwrites;</li>
 *   <li>{@link #output} of a carried output returns the same tensor as {@link #input} of the input it is carried
 *       into, i.e. the value the last run computed; other outputs keep one tensor object, overwritten by each run.</li>
 * </ul>
 * Writing into {@code input(name)} of a carried input before a run (loading a checkpoint) works as expected.
 * Not thread-safe; one executable runs on one thread at a time.
 */
public final class CpuExecutable implements Executable {
    private final Kernel[] kernels;
    private final Map<String, Buf> inputs;
    private final Map<String, Buf> outputs;
    private final Map<String, String> carries;
    private final Buf[] carriedFrom;
    private final Buf[] carriedTo;
    private final MatMulScratch scratch;
    private boolean closed;

    /** Built by the compiler; {@code carries} maps output names to the input names they replace. */
    public CpuExecutable(Kernel[] kernels, Map<String, Buf> inputs, Map<String, Buf> outputs,
                         Map<String, String> carries, MatMulScratch scratch) {
        this.kernels = kernels;
        this.inputs = Map.copyOf(inputs);
        this.outputs = Map.copyOf(outputs);
        this.carries = Map.copyOf(carries);
        this.carriedFrom = new Buf[carries.size()];
        this.carriedTo = new Buf[carries.size()];
        int i = 0;
        for (Map.Entry<String, String> c : carries.entrySet()) {
            carriedFrom[i] = outputs.get(c.getKey());
            carriedTo[i] = inputs.get(c.getValue());
            i++;
        }
        this.scratch = scratch;
    }

    @Override
    public Tensor input(String name) {
        Buf b = inputs.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no graph input '" + name + "'; inputs: " + inputs.keySet());
        }
        return b.tensor();
    }

    @Override
    public void run() {
        checkOpen();
        for (Kernel k : kernels) {
            k.run();
        }
        swapCarries();
    }

    @Override
    public Tensor output(String name) {
        String carriedInto = carries.get(name);
        if (carriedInto != null) {
            return input(carriedInto);
        }
        Buf b = outputs.get(name);
        if (b == null) {
            throw new IllegalArgumentException("no graph output '" + name + "'; outputs: " + outputs.keySet());
        }
        return b.tensor();
    }

    /**
     * A {@link #run} that adds each kernel's wall time to {@code nanos[i]} (one entry per kernel); for profiles of
     * the real step ({@code StepTimer --kernels}).
     */
    public void runTimed(long[] nanos) {
        runTimed(nanos, System::nanoTime);
    }

    /**
     * A {@link #run} that adds each kernel's time on {@code clock} (in nanoseconds) to {@code nanos[i]}: the calling
     * thread's CPU time, say, for profiles on a shared machine.
     */
    public void runTimed(long[] nanos, LongSupplier clock) {
        checkOpen();
        for (int i = 0; i < kernels.length; i++) {
            long t = clock.getAsLong();
            kernels[i].run();
            nanos[i] += clock.getAsLong() - t;
        }
        swapCarries();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("executable is closed");
        }
    }

    /** Carried outputs become their inputs by exchanging storage (see the class comment). */
    private void swapCarries() {
        for (int i = 0; i < carriedFrom.length; i++) {
            Buf.swap(carriedFrom[i], carriedTo[i]);
        }
    }

    /** What kernel {@code i} computes. */
    public String describeKernel(int i) {
        return kernels[i].describe();
    }

    /** Number of kernels a run executes (after dead-code elimination, folding and peepholes); for tests. */
    public int kernelCount() {
        return kernels.length;
    }

    /** Frees the off-heap matrix buffers; the executable cannot run afterwards. */
    @Override
    public void close() {
        closed = true;
        scratch.close();
    }
}
