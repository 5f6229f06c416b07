package dev.theta.backend.onnxruntime;

import ai.onnxruntime.OrtEnvironment;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The process-wide ONNX Runtime environment. ONNX Runtime 1.29's native initialisation needs more stack than a JVM
 * thread has by default (it crashed the JVM from a plain {@code main} with the default 1 MiB), so the first call
 * initialises it on a helper thread with a large stack.
 */
public final class OrtRuntime {
    private static final long INIT_STACK_BYTES = 16L << 20;
    private static volatile OrtEnvironment environment;

    private OrtRuntime() {
    }

    /** The environment; throws what loading the native library threw when it cannot load. */
    public static OrtEnvironment environment() {
        OrtEnvironment env = environment;
        if (env != null) {
            return env;
        }
        synchronized (OrtRuntime.class) {
            if (environment == null) {
                AtomicReference<OrtEnvironment> created = new AtomicReference<>();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread init = new Thread(null, () -> {
                    try {
                        created.set(OrtEnvironment.getEnvironment());
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }, "onnxruntime-init", INIT_STACK_BYTES);
                init.start();
                try {
                    init.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while ONNX Runtime initialised", e);
                }
                Throwable t = failure.get();
                if (t instanceof Error err) {
                    throw err;
                }
                if (t != null) {
                    throw new IllegalStateException("ONNX Runtime could not initialise: " + t.getMessage(), t);
                }
                environment = created.get();
            }
            return environment;
        }
    }
}
