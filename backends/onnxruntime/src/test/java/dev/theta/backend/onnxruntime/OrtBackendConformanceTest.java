package dev.theta.backend.onnxruntime;

import dev.theta.api.spi.Backend;
import dev.theta.api.testing.BackendConformance;

/** The shared conformance suite on ONNX Runtime's CPU provider. */
class OrtBackendConformanceTest extends BackendConformance {
    @Override
    protected Backend backend() {
        return new OnnxRuntimeBackend(Device.CPU, 0, 2, 1);
    }
}
