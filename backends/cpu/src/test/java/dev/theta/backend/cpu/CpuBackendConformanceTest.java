package dev.theta.backend.cpu;

import dev.theta.api.spi.Backend;
import dev.theta.api.testing.BackendConformance;

/** The shared backend conformance suite (forward values against the double-precision reference, carries). */
class CpuBackendConformanceTest extends BackendConformance {
    @Override
    protected Backend backend() {
        return new CpuBackend(2);
    }
}
