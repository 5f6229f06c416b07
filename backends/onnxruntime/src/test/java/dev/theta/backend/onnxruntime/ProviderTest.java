package dev.theta.backend.onnxruntime;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.options.OptionException;
import dev.theta.api.spi.Backend;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Options of the {@code onnxruntime} backend and what {@code device} does on a machine without CUDA. */
class ProviderTest {
    private final OnnxRuntimeBackendProvider provider = new OnnxRuntimeBackendProvider();

    private Backend create(Map<String, Object> options) {
        return provider.create(provider.options().validate(options, "backend", List.of()));
    }

    @Test
    void defaultsRunOnTheCpu() {
        assertNull(create(Map.of()).unavailableReason());
    }

    @Test
    void invalidOptionsAreRefusedByName() {
        assertThrows(OptionException.class, () -> create(Map.of("device", "tpu")));
        assertThrows(OptionException.class, () -> create(Map.of("steps-per-call", 0)));
        assertThrows(OptionException.class, () -> create(Map.of("threads", 0)));
    }

    @Test
    void cudaWithoutItsProviderExplainsWhatToInstall() {
        Backend cuda = create(Map.of("device", "cuda"));
        String reason = cuda.unavailableReason();
        if (reason == null) {
            return; // a CUDA machine with the GPU jar: nothing to explain
        }
        assertTrue(reason.contains("CUDA 12") && reason.contains("cuDNN 9") && reason.contains("-Pcuda"), reason);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cuda.compile(tiny(), 2));
        assertEquals(reason, e.getMessage());
    }

    @Test
    void autoFallsBackToTheCpu() {
        Backend auto = create(Map.of("device", "auto"));
        assertNull(auto.unavailableReason());
        try (var exe = auto.compile(tiny(), 2)) {
            exe.input("x").floats()[1] = 3;
            exe.run();
            assertEquals(6f, exe.output("y").floats()[1]);
        }
    }

    private static Graph tiny() {
        Graph g = new Graph();
        g.output("y", g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH)).mul(2f));
        return g;
    }
}
