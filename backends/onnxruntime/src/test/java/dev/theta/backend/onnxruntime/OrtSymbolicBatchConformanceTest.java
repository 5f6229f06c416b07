package dev.theta.backend.onnxruntime;

import dev.theta.api.spi.Backend;
import dev.theta.api.testing.BackendConformance;

/**
 * The conformance suite with graphs lowered as the exporter lowers them: the batch stays symbolic, so Reshape and
 * Expand targets with k·N are computed from the batch size at run time.
 */
class OrtSymbolicBatchConformanceTest extends BackendConformance {
    @Override
    protected Backend backend() {
        return new OnnxRuntimeBackend(Device.CPU, 0, 2, 1, true);
    }
}
