package dev.theta.backend.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Value;
import dev.theta.api.spi.Backend;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.backend.onnxruntime.lowering.OnnxModels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lowers graphs to ONNX and runs them in ONNX Runtime on the CPU or the CUDA execution provider. Step graphs (those
 * with carries) run {@code stepsPerCall} steps per {@link OrtExecutable#run} inside an ONNX {@code Loop}.
 */
public final class OnnxRuntimeBackend implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxRuntimeBackend.class);
    static final String CUDA_HELP = "install CUDA 12 and cuDNN 9 (their libraries on the loader path) and build theta"
            + " with the Maven profile -Pcuda, which swaps in com.microsoft.onnxruntime:onnxruntime_gpu; or use"
            + " device: auto (falls back to the CPU) or device: cpu";

    private final Device device;
    private final int deviceId;
    private final int threads;
    private final int stepsPerCall;
    private final boolean symbolicBatch;
    private boolean fallbackLogged;

    public OnnxRuntimeBackend(Device device, int deviceId, int threads, int stepsPerCall) {
        this(device, deviceId, threads, stepsPerCall, false);
    }

    /** With {@code symbolicBatch}, graphs are lowered with the batch left symbolic, as the exporter does (tests). */
    OnnxRuntimeBackend(Device device, int deviceId, int threads, int stepsPerCall, boolean symbolicBatch) {
        if (deviceId < 0 || threads < 1 || stepsPerCall < 1) {
            throw new IllegalArgumentException("invalid onnxruntime backend options: device-id " + deviceId
                    + " (>= 0), threads " + threads + " (>= 1), steps-per-call " + stepsPerCall + " (>= 1)");
        }
        this.device = device;
        this.deviceId = deviceId;
        this.threads = threads;
        this.stepsPerCall = stepsPerCall;
        this.symbolicBatch = symbolicBatch;
    }

    @Override
    public String unavailableReason() {
        try {
            OrtRuntime.environment();
        } catch (Throwable e) {
            return "ONNX Runtime's native library could not load (" + e + "); it ships for linux-x64/aarch64, macOS"
                    + " and Windows x64 in com.microsoft.onnxruntime:onnxruntime";
        }
        if (device == Device.CUDA) {
            return cudaUnavailableReason();
        }
        return null;
    }

    private static String cudaUnavailableReason() {
        OrtRuntime.environment();
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return "device: cuda needs ONNX Runtime's CUDA execution provider, which this ONNX Runtime build lacks"
                    + " (the default jar is CPU-only): " + CUDA_HELP;
        }
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.addCUDA(0);
            return null;
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            return "device: cuda: ONNX Runtime's CUDA execution provider could not start (" + e.getMessage() + "): "
                    + CUDA_HELP;
        }
    }

    /** Compiles a step graph for {@code stepsPerCall} steps per call, any other graph for one run per call. */
    @Override
    public OrtExecutable compile(Graph graph, int batchSize) {
        return compile(graph, batchSize, graph.carries().isEmpty() ? 1 : stepsPerCall);
    }

    /**
     * Compiles {@code graph} to run {@code steps} times per call (see {@link OrtExecutable}); a runner uses
     * {@code steps = 1} for the remainder of an epoch that is not a multiple of {@code steps-per-call}.
     */
    @Override
    public OrtExecutable compile(Graph graph, int batchSize, int steps) {
        if (batchSize < 1 || steps < 1) {
            throw new IllegalArgumentException("batch size and steps must be positive: " + batchSize + ", " + steps);
        }
        if (steps > 1 && graph.carries().isEmpty()) {
            throw new IllegalArgumentException("several steps per call need a graph with carries (a training step)");
        }
        // Without an input of batch size the batch cannot be read at run time, so it stays fixed.
        boolean batchInput = graph.inputs().values().stream().anyMatch(v -> v.shape().hasBatch());
        int lowered = symbolicBatch && batchInput ? 0 : batchSize;
        byte[] model = (steps == 1 ? OnnxModels.single(graph, lowered) : OnnxModels.loop(graph, lowered, steps))
                .toByteArray();
        OrtEnvironment env = OrtRuntime.environment();
        OrtSession session = null;
        Map<String, DirectTensor> inputs = new LinkedHashMap<>();
        Map<String, DirectTensor> outputs = new LinkedHashMap<>();
        try (OrtSession.SessionOptions options = sessionOptions()) {
            session = env.createSession(model, options);
            for (Map.Entry<String, Value> e : graph.inputs().entrySet()) {
                DirectTensor t = slot(env, graph, e.getKey(), e.getValue(), batchSize, steps,
                        graph.carries().containsValue(e.getKey()));
                Tensor initial = graph.initialValues().get(e.getKey());
                if (initial != null && initial.size() == t.tensor().size()) {
                    t.tensor().copyFrom(initial);
                }
                inputs.put(e.getKey(), t);
            }
            for (Map.Entry<String, Value> e : graph.outputs().entrySet()) {
                outputs.put(e.getKey(), slot(env, graph, e.getKey(), e.getValue(), batchSize, steps,
                        graph.carries().containsKey(e.getKey())));
            }
            return new OrtExecutable(session, steps, inputs, outputs, graph.carries());
        } catch (OrtException e) {
            inputs.values().forEach(DirectTensor::close);
            outputs.values().forEach(DirectTensor::close);
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("ONNX Runtime could not compile the graph: " + e.getMessage(), e);
        }
    }

    private static DirectTensor slot(OrtEnvironment env, Graph graph, String name, Value v, int batch, int steps,
                                     boolean carried) throws OrtException {
        Shape shape = v.shape().resolve(batch);
        if (steps > 1 && !carried) {
            int[] dims = shape.dims();
            int[] stacked = new int[dims.length + 1];
            stacked[0] = steps;
            System.arraycopy(dims, 0, stacked, 1, dims.length);
            shape = Shape.of(stacked);
        }
        return new DirectTensor(env, v.type().dtype(), shape);
    }

    private OrtSession.SessionOptions sessionOptions() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
        switch (device) {
            case CPU -> { }
            case CUDA -> {
                String reason = cudaUnavailableReason();
                if (reason != null) {
                    o.close();
                    throw new IllegalStateException(reason);
                }
                o.addCUDA(deviceId);
                o.addConfigEntry("session.disable_cpu_ep_fallback", "1");
            }
            case AUTO -> {
                String reason = cudaUnavailableReason();
                if (reason == null) {
                    o.addCUDA(deviceId);
                } else if (!fallbackLogged) {
                    fallbackLogged = true;
                    LOG.warn("onnxruntime backend, device: auto: running on the CPU because {}", reason);
                }
            }
        }
        return o;
    }
}
