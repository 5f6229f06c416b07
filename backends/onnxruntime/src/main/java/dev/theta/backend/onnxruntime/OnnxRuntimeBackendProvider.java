package dev.theta.backend.onnxruntime;

import dev.theta.api.options.Option;
import dev.theta.api.options.OptionSchema;
import dev.theta.api.options.Options;
import dev.theta.api.options.Range;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.BackendProvider;

import java.util.List;

/** The {@code onnxruntime} backend: graphs lowered to ONNX and run in ONNX Runtime (CPU or CUDA). */
public final class OnnxRuntimeBackendProvider implements BackendProvider {
    public static final String DEVICE = "device";
    public static final String DEVICE_ID = "device-id";
    public static final String THREADS = "threads";
    public static final String STEPS_PER_CALL = "steps-per-call";

    @Override
    public String name() {
        return "onnxruntime";
    }

    @Override
    public String description() {
        return "lowers graphs to ONNX and runs them in ONNX Runtime (CPU, or CUDA with the -Pcuda build)";
    }

    @Override
    public OptionSchema options() {
        return OptionSchema.of(
                Option.choice(DEVICE, "cpu", List.of("cpu", "cuda", "auto"),
                        "execution provider: cpu, cuda (fails if CUDA cannot start), auto (cuda, else cpu)"),
                Option.integer(DEVICE_ID, 0, Range.closed(0, 1024), "CUDA device ordinal"),
                Option.integer(THREADS, 2, Range.closed(1, 256), "ONNX Runtime intra-op threads"),
                Option.integer(STEPS_PER_CALL, 1, Range.closed(1, 100_000),
                        "training steps per call, run as an ONNX Loop so parameters stay in ONNX Runtime"));
    }

    @Override
    public Backend create(Options options) {
        return new OnnxRuntimeBackend(Device.parse(options.getString(DEVICE)), options.getInt(DEVICE_ID),
                options.getInt(THREADS), options.getInt(STEPS_PER_CALL));
    }
}
