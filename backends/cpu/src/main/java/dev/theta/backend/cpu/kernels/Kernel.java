package dev.theta.backend.cpu.kernels;

/**
 * One step of a compiled graph. A kernel closes over its buffers and everything it can precompute (shapes, strides,
 * counters), so that {@link #run} allocates nothing.
 */
public interface Kernel {
    void run();

    /** What the kernel computes, for profiles ({@code StepTimer --kernels}). */
    default String describe() {
        return getClass().getSimpleName();
    }
}
