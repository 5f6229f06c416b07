package dev.theta.hypotheses;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.options.OptionException;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Hypothesis;
import dev.theta.api.spi.Initializer;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The cnn's batchnorm layer: where it asks for batch normalization, with which settings and names, and its errors. */
class CnnBatchNormTest {
    private static final Cnn CNN = new Cnn();

    /** One batchNorm call: the layer name, the shape of x, momentum and ε. */
    private record Call(String name, Shape x, double momentum, double eps) {
    }

    /** The hypothesis's batchNorm calls; {@code declared} gets every parameter it creates. */
    private static List<Call> calls(List<?> layers, Shape features, Map<String, Shape> declared) {
        Hypothesis h = CNN.create(CNN.options().validate(Map.of("layers", layers), "hypothesis", List.of()),
                DataSpec.classification(features, 3, List.of()), 3);
        Graph g = new Graph();
        List<Call> calls = new ArrayList<>();
        Parameters p = new Parameters() {
            @Override
            public Value create(String name, Shape shape, int fanIn, int fanOut, Initializer initializer) {
                declared.put(name, shape);
                return g.input("param/" + name, Role.PARAMETER, Tensor.zeros(DType.FLOAT32, shape));
            }

            @Override
            public Value batchNorm(String name, Value x, double momentum, double eps) {
                calls.add(new Call(name, x.shape(), momentum, eps));
                return Parameters.super.batchNorm(name, x, momentum, eps);
            }
        };
        int[] dims = new int[features.rank() + 1];
        dims[0] = Shape.BATCH;
        System.arraycopy(features.dims(), 0, dims, 1, features.rank());
        h.scores(p, g.input("x", Role.DATA, DType.FLOAT32, Shape.of(dims)));
        return calls;
    }

    @Test
    void batchnormOnImagesAndOnFlatFeaturesWithDefaultsOrGivenSettings() {
        Map<String, Shape> declared = new LinkedHashMap<>();
        List<Call> calls = calls(List.of(Map.of("conv", 2, "kernel", 3, "bias", false), "batchnorm", "relu", "flatten",
                Map.of("dense", 4), Map.of("batchnorm", Map.of("momentum", 0.01, "eps", 1e-3)), "relu"),
                Shape.of(1, 5, 5), declared);
        assertEquals(List.of(new Call("bn2", Shape.of(Shape.BATCH, 2, 3, 3), 0.1, 1e-5),
                new Call("bn4", Shape.of(Shape.BATCH, 4), 0.01, 1e-3)), calls);
        assertEquals(List.of("W1", "bn2.weight", "bn2.bias", "W3", "b3", "bn4.weight", "bn4.bias", "W5", "b5"),
                List.copyOf(declared.keySet()));
        assertEquals(Shape.of(2), declared.get("bn2.weight"));
        assertEquals(Shape.of(4), declared.get("bn4.bias"));
        assertEquals(List.of(new Call("bn1", Shape.of(Shape.BATCH, 1, 5, 5), 0.1, 1e-5)),
                calls(List.of(Map.of("batchnorm", Map.of())), Shape.of(1, 5, 5), new LinkedHashMap<>()));
    }

    @Test
    void optionErrorsNameTheLayer() {
        assertEquals("hypothesis.layers[1].batchnorm.momentum = 2: must be in [0, 1]",
                refused(List.of("relu", Map.of("batchnorm", Map.of("momentum", 2)))).getMessage());
        assertEquals("hypothesis.layers[0].batchnorm.eps = 0: must be positive",
                refused(List.of(Map.of("batchnorm", Map.of("eps", 0)))).getMessage());
        assertEquals("hypothesis.layers[0].batchnorm.eps = 'small': expected a number",
                refused(List.of(Map.of("batchnorm", Map.of("eps", "small")))).getMessage());
        assertEquals("hypothesis.layers[0].batchnorm.mom",
                refused(List.of(Map.of("batchnorm", Map.of("mom", 0.1)))).path());
        assertEquals("hypothesis.layers[2].batchnorm",
                refused(List.of("relu", "relu", Map.of("batchnorm", 0.1))).path());
        assertEquals("hypothesis.layers[0].momentum",
                refused(List.of(Map.of("batchnorm", Map.of(), "momentum", 0.1))).path());
    }

    private static OptionException refused(List<?> layers) {
        return assertThrows(OptionException.class, () -> calls(layers, Shape.of(1, 4, 4), new LinkedHashMap<>()));
    }
}
