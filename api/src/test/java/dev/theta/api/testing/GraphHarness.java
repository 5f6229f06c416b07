package dev.theta.api.testing;

import dev.theta.api.graph.Graph;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.BackendProvider;
import dev.theta.api.spi.Executable;
import dev.theta.api.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Runs graphs in plugin tests on a backend found by name through the registry (the CPU backend is a test
 * dependency of the plugin modules, so tests exercise exactly what training runs).
 */
public final class GraphHarness {
    private GraphHarness() {
    }

    public static Backend backend(String name) {
        PluginRegistry registry = PluginRegistry.discover(GraphHarness.class.getClassLoader());
        BackendProvider p = registry.get(PluginKind.BACKEND, BackendProvider.class, name);
        return p.create(p.options().validate(Map.of(), "backend", List.of()));
    }

    /** Compiles {@code graph} for {@code batch}, sets its initial values and the given inputs. */
    public static Executable compile(Backend backend, Graph graph, int batch, Map<String, Tensor> inputs) {
        Executable exec = backend.compile(graph, batch);
        graph.initialValues().forEach((name, t) -> exec.input(name).copyFrom(t));
        inputs.forEach((name, t) -> exec.input(name).copyFrom(t));
        return exec;
    }

    /** Float data of an output as doubles. */
    public static double[] output(Executable exec, String name) {
        Tensor t = exec.output(name);
        double[] out = new double[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.get(i);
        }
        return out;
    }

    /** Asserts |actual - expected| <= rel·|expected| + abs elementwise, naming the first failing index. */
    public static void assertClose(double[] expected, double[] actual, double rel, double abs, String what) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double tol = rel * Math.abs(expected[i]) + abs;
            if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
                throw new AssertionError(what + "[" + i + "]: " + actual[i] + ", expected " + expected[i] + " (tolerance " + tol + ")");
            }
        }
    }
}
