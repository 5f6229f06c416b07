package dev.theta.backend.onnxruntime.export;

import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.spi.Exporter;
import dev.theta.api.spi.ExporterProvider;

/** The {@code onnx} export format: a standalone ONNX model with the trained parameters. */
public final class OnnxExporterProvider implements ExporterProvider {
    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public String description() {
        return "standalone ONNX model (input 'input'; outputs scores, probabilities, label) for ONNX Runtime";
    }

    @Override
    public OptionSchema options() {
        return OptionSchema.of();
    }

    @Override
    public Exporter create(Options options) {
        return new OnnxExporter();
    }
}
