package dev.theta.backend.cpu.kernels;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The CPU backend's threads: a kernel splits its work into a few tasks ({@link Job}) and the calling thread runs them
 * together with the pool's workers, each claiming the next unclaimed task. The caller never waits for a worker to
 * start: a worker the OS has not scheduled claims nothing, and the caller runs what is left. It waits only for tasks a
 * worker is already running, and idle workers spin for {@value #SPIN_NANOS} ns at most before they park.
 *
 * <p>Why not OpenBLAS's threads: after each product its workers spin for 2²⁸ cycles (~0.1 s, its default
 * {@code THREAD_TIMEOUT}) and the caller waits for all of them; on two cores shared with other work that made the
 * transformer's step 8–10× slower with two threads than with one (docs/benchmarks.md). Products on this pool call
 * OpenBLAS single-threaded from each thread.
 *
 * <p>One pool per thread count, shared by all executables; its workers are daemon threads. A second caller that
 * finds the pool busy (two executables running at once on different threads) runs its tasks alone. A run allocates
 * nothing.
 */
public final class Parallel {
    private static final long SPIN_NANOS = 50_000;
    private static final Map<Integer, Parallel> POOLS = new ConcurrentHashMap<>();

    private final Thread[] workers;
    private final ReentrantLock busy = new ReentrantLock();
    /** The job on offer; workers read it after seeing {@link #epoch} change. */
    private volatile Job current;
    private final AtomicLong epoch = new AtomicLong();

    private Parallel(int threads) {
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = Thread.ofPlatform().daemon().name("theta-cpu-" + threads + "-" + (i + 1)).start(this::work);
        }
    }

    /** The shared pool of {@code threads} threads (the caller and {@code threads − 1} workers). */
    public static Parallel of(int threads) {
        if (threads < 2) {
            throw new IllegalArgumentException("a pool needs at least 2 threads: " + threads);
        }
        return POOLS.computeIfAbsent(threads, Parallel::new);
    }

    /** Number of threads that run a job, the caller included. */
    public int threads() {
        return workers.length + 1;
    }

    /**
     * Work split into {@code tasks} pieces, {@code body} running piece i. A kernel makes its job once and runs it on
     * every call; the ticket counts runs (high 32 bits) and claimed pieces (low), so a worker still holding the
     * previous run's ticket cannot claim a piece of this one.
     */
    public static final class Job {
        private final IntConsumer body;
        private final int tasks;
        private final AtomicLong ticket = new AtomicLong();
        private final AtomicInteger done = new AtomicInteger();

        public Job(int tasks, IntConsumer body) {
            this.tasks = tasks;
            this.body = body;
        }

        public int tasks() {
            return tasks;
        }

        /** Claims and runs pieces of run {@code run} until none is left. */
        private void help(long run) {
            while (true) {
                long t = ticket.get();
                if (t >>> 32 != run || (int) t >= tasks) {
                    return;
                }
                if (ticket.compareAndSet(t, t + 1)) {
                    body.accept((int) t);
                    done.incrementAndGet();
                }
            }
        }
    }

    /** Runs every piece of {@code job}, here and on the workers; returns when all have finished. */
    public void run(Job job) {
        if (job.tasks == 1 || !busy.tryLock()) {
            for (int t = 0; t < job.tasks; t++) {
                job.body.accept(t);
            }
            return;
        }
        try {
            long run = (job.ticket.get() >>> 32) + 1;
            job.done.set(0);
            job.ticket.set(run << 32);
            current = job;
            epoch.incrementAndGet();
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            job.help(run);
            for (int spins = 0; job.done.get() < job.tasks; spins++) {
                if (spins < 1000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            current = null;
        } finally {
            busy.unlock();
        }
    }

    private void work() {
        long seen = epoch.get();
        while (true) {
            long now = epoch.get();
            if (now != seen) {
                seen = now;
                Job job = current;
                if (job != null) {
                    job.help(job.ticket.get() >>> 32);
                }
                continue;
            }
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (epoch.get() == seen && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            if (epoch.get() == seen) {
                LockSupport.park(this);
            }
        }
    }

    /**
     * Runs pieces [0, tasks) of {@code body} with OpenBLAS on one thread (each piece's products are single-threaded):
     * as {@code job} on the pool of {@code threads} where there is a job, otherwise here, in order.
     */
    static void runPieces(Job job, int threads, int tasks, IntConsumer body) {
        Blas.threads(1);
        if (job != null) {
            of(threads).run(job);
        } else {
            for (int k = 0; k < tasks; k++) {
                body.accept(k);
            }
        }
    }

    /** Splits [0, size) into {@code parts} ranges, each starting at a multiple of {@code align}; range i is [start(i), start(i + 1)). */
    public static int start(int i, int parts, int size, int align) {
        if (i >= parts) {
            return size;
        }
        long s = (long) size * i / parts;
        return (int) Math.min(size, s / align * align);
    }
}
