package dev.theta.core.training;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;

import java.util.Map;

/** The carried state of compiled step graphs: loading, copying between executables, counting, checking. */
final class ExecutableState {
    private ExecutableState() {
    }

    /** The first NaN or infinite value, or 0 when all are finite. Checked every step, so the common case is one pass. */
    static float firstNonFinite(float[] values) {
        // A float is NaN or infinite exactly when its exponent bits are all ones; an int max over the exponents
        // vectorises, where a loop of Float.isFinite calls does not.
        int maxExponent = 0;
        for (float v : values) {
            maxExponent = Math.max(maxExponent, Float.floatToRawIntBits(v) & 0x7f800000);
        }
        if (maxExponent != 0x7f800000) {
            return 0f;
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return v;
            }
        }
        return 0f;
    }

    static void initialise(Executable exec, Graph graph) {
        for (Map.Entry<String, Tensor> e : graph.initialValues().entrySet()) {
            exec.input(e.getKey()).copyFrom(e.getValue());
        }
    }

    /** Copies every carried input (parameters, optimizer state) from one executable of the step graph to another. */
    static void copyCarried(Graph graph, Executable from, Executable to) {
        for (String input : graph.carries().values()) {
            to.input(input).copyFrom(from.input(input));
        }
    }

    static long parameterCount(Executable step, TrainingProgram program) {
        long count = 0;
        for (String p : program.trainableInputs()) {
            count += step.input(p).size();
        }
        return count;
    }
}
