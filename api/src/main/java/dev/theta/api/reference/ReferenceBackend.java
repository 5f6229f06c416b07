package dev.theta.api.reference;

import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link Backend} that runs the {@link ReferenceInterpreter} in double precision and stores results in the
 * usual float32/int64/bool tensors. Slow and simple: it checks {@link Conformance} itself, and serves where
 * a trusted result matters more than speed. Inputs declared with an initial value start from it.
 */
public final class ReferenceBackend implements Backend {
    @Override
    public Executable compile(Graph graph, int batchSize) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        graph.inputs().forEach((name, v) -> {
            Tensor t = Tensor.zeros(v.type().dtype(), v.shape().resolve(batchSize));
            Tensor initial = graph.initialValues().get(name);
            if (initial != null) {
                t.copyFrom(initial);
            }
            inputs.put(name, t);
        });
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        graph.outputs().forEach((name, v) -> outputs.put(name, Tensor.zeros(v.type().dtype(), v.shape().resolve(batchSize))));
        return new Executable() {
            @Override
            public Tensor input(String name) {
                return require(inputs, name, "input");
            }

            @Override
            public void run() {
                Map<String, double[]> values = new LinkedHashMap<>();
                inputs.forEach((name, t) -> values.put(name, ReferenceInterpreter.toDoubles(t)));
                ReferenceInterpreter.run(graph, batchSize, values).forEach((name, v) -> ReferenceInterpreter.copyInto(v, outputs.get(name)));
                graph.carries().forEach((out, in) -> inputs.get(in).copyFrom(outputs.get(out)));
            }

            @Override
            public Tensor output(String name) {
                return require(outputs, name, "output");
            }
        };
    }

    private static Tensor require(Map<String, Tensor> tensors, String name, String what) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no graph " + what + " '" + name + "'; known: " + tensors.keySet());
        }
        return t;
    }
}
