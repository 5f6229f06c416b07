package dev.theta.api.testing;

import dev.theta.api.reference.ReferenceBackend;
import dev.theta.api.spi.Backend;

/** Runs the conformance suite on the reference backend, which keeps the suite itself honest. */
class ReferenceBackendConformanceTest extends BackendConformance {
    @Override
    protected Backend backend() {
        return new ReferenceBackend();
    }
}
