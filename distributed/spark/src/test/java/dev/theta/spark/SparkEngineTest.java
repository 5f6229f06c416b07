package dev.theta.spark;

import dev.theta.api.data.InMemoryDataset;
import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.options.OptionException;
import dev.theta.api.options.Options;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.Loss;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.core.engine.StepEngine;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the spark engine accepts before it starts a context: the masters of its {@code master} option, and the
 * models whose result sharding a batch would change (refused, naming {@code distributed.engine}).
 */
class SparkEngineTest {
    private final SparkEngine engine = new SparkEngine();
    private final InMemoryDataset data = InMemoryDataset.classification(Shape.of(2), new float[] {0, 1, 1, 0},
            new long[] {0, 1}, 2, InMemoryDataset.indexNames(2), "two rows");

    @Test
    void mastersOfTheLocalAndStandaloneKinds() {
        for (String ok : List.of("local", "local[2]", "local[*]", "local[2,3]", "spark://127.0.0.1:7077", "spark://a:1,b:2")) {
            assertDoesNotThrow(() -> engine.check(master(ok)), ok);
        }
        for (String bad : List.of("yarn", "k8s://https://h:443", "local[0x]", "spark://", "spark://host", "mesos://h:5050", "local[2] ")) {
            OptionException e = assertThrows(OptionException.class, () -> engine.check(master(bad)), bad);
            assertTrue(e.getMessage().startsWith("distributed.master = "), e.getMessage());
        }
    }

    @Test
    void aLossScoringExamplesAgainstTheirBatchIsRefused() {
        Graph step = new Graph();
        step.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 2));
        OptionException e = assertThrows(OptionException.class, () -> engine.start(run(loss(Shape.BATCH), step), master("local[1]")));
        assertTrue(e.getMessage().startsWith("distributed.engine = 'spark': the loss scores each example against the others"), e.getMessage());
    }

    @Test
    void dropoutIsRefused() {
        Graph step = new Graph();
        Value x = step.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 2));
        Value counter = step.input("step", Role.HYPER, DType.INT64, Shape.SCALAR);
        step.output("bits", x.randomBits(7, counter));
        OptionException e = assertThrows(OptionException.class, () -> engine.start(run(loss(2), step), master("local[1]")));
        assertTrue(e.getMessage().startsWith("distributed.engine = 'spark': the hypothesis uses dropout"), e.getMessage());
    }

    private StepEngine.Run run(Loss loss, Graph step) {
        return new StepEngine.Run("refused", data, null, loss, null, Map.of(), step, 0, Map.of());
    }

    private static Options master(String master) {
        Map<String, Object> values = new HashMap<>();
        values.put("master", master);
        values.put("partitions", null);
        return new Options("distributed", values);
    }

    private static Loss loss(int scores) {
        return new Loss() {
            @Override
            public int scores(DataSpec data) {
                return scores;
            }

            @Override
            public Value perExample(Value scores, Value target) {
                throw new UnsupportedOperationException("not built: the engine refuses before");
            }

            @Override
            public Decision decision() {
                return Decision.ARGMAX;
            }
        };
    }
}
