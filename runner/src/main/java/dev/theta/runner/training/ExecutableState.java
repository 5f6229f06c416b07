package dev.theta.runner.training;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;

import java.util.Map;

/** The carried state of compiled step graphs: loading, copying between executables, counting, checking. */
final class ExecutableState {
    private ExecutableState() {
    }

    static float firstNonFinite(float[] values) {
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
        for (String p : program.parameterInputs()) {
            count += step.input(p).size();
        }
        return count;
    }
}
