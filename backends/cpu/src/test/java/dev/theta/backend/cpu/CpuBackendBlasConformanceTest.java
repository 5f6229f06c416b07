package dev.theta.backend.cpu;

import dev.theta.api.spi.Backend;
import dev.theta.api.testing.BackendConformance;

/** The conformance suite with every product on OpenBLAS, as on a JVM started without the vector API. */
class CpuBackendBlasConformanceTest extends BackendConformance {
    @Override
    protected Backend backend() {
        return new CpuBackend(2, false);
    }
}
