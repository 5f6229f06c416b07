package dev.theta.backend.cpu.kernels;

/**
 * Whether kernels may use the JDK's vector API. It is still an incubator module ({@code jdk.incubator.vector}); the JVM
 * resolves it only when started with {@code --add-modules jdk.incubator.vector} (the {@code theta} launcher and the
 * build's tests are). This class holds no vector types, so it loads either way; classes that do ({@link VectorMath},
 * {@link NarrowMatMulKernel}) are loaded only when {@link #AVAILABLE} is true. {@code -Dtheta.cpu.vector=false} turns
 * them off (for A/B benchmarks).
 */
public final class VectorApi {
    /** Whether the vector API is resolved in this JVM and not turned off. */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("theta.cpu.vector"));

    private VectorApi() {
    }
}
