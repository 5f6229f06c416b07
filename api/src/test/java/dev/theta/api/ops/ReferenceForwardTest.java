package dev.theta.api.ops;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.reference.ReferenceInterpreter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Tests the oracle: the reference interpreter against hand-checked values and against formulas written here
 * independently of the enums' own {@code reference} methods.
 */
class ReferenceForwardTest {
    private static final double TIGHT = 1e-12;

    /** Builds a graph from the given inputs (name, type) and evaluates its result. */
    private static double[] eval(int batch, Function<List<Value>, Value> body, Object... namesTypesValues) {
        Graph g = new Graph();
        List<Value> declared = new java.util.ArrayList<>();
        Map<String, double[]> inputs = new LinkedHashMap<>();
        for (int i = 0; i < namesTypesValues.length; i += 4) {
            String name = (String) namesTypesValues[i];
            declared.add(g.input(name, Role.DATA, (DType) namesTypesValues[i + 1], (Shape) namesTypesValues[i + 2]));
            inputs.put(name, (double[]) namesTypesValues[i + 3]);
        }
        g.output("y", body.apply(declared));
        return ReferenceInterpreter.run(g, batch, inputs).get("y");
    }

    private static Object[] in(String name, DType dtype, Shape shape, double... values) {
        return new Object[] {name, dtype, shape, values};
    }

    private static Object[] flat(Object[]... inputs) {
        return java.util.Arrays.stream(inputs).flatMap(java.util.Arrays::stream).toArray();
    }

    private static final DType F = DType.FLOAT32;
    private static final DType L = DType.INT64;
    private static final DType B = DType.BOOL;

    @ParameterizedTest
    @EnumSource(UnaryFn.class)
    void unaryRowsMatchIndependentFormulas(UnaryFn fn) {
        double[] x = {-1.5, -0.25, 0.75, 2};
        if (fn == UnaryFn.LOG || fn == UnaryFn.SQRT) {
            x = new double[] {0.5, 1, 2.25, 4};
        }
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            expected[i] = switch (fn) {
                case NEG -> 0 - v;
                case EXP -> Math.pow(Math.E, v);
                case LOG -> Math.log10(v) / Math.log10(Math.E);
                case SQRT -> Math.pow(v, 0.5);
                case ABS -> v < 0 ? -v : v;
                case SIGN -> v < 0 ? -1 : v > 0 ? 1 : 0;
                case RELU -> v > 0 ? v : 0;
                case TANH -> (Math.exp(2 * v) - 1) / (Math.exp(2 * v) + 1);
                case SIGMOID -> Math.exp(v) / (1 + Math.exp(v));
                case ERF -> simpson(t -> 2 / Math.sqrt(Math.PI) * Math.exp(-t * t), v, 4000);
            };
        }
        double[] actual = eval(2, in -> in.get(0).graph().apply(new Unary(fn), in.get(0)), in("x", F, Shape.of(Shape.BATCH, 2), x));
        assertArrayEquals(expected, actual, TIGHT);
    }

    /** ∫₀ˣ f by Simpson's rule on {@code intervals} (even) intervals. */
    private static double simpson(java.util.function.DoubleUnaryOperator f, double x, int intervals) {
        double h = x / intervals;
        double sum = f.applyAsDouble(0) + f.applyAsDouble(x);
        for (int i = 1; i < intervals; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(i * h);
        }
        return sum * h / 3;
    }

    /** Published values (Abramowitz and Stegun, table 7.1, and erf's symmetry and limits). */
    @Test
    void erfHandValues() {
        double[] x = {0, 0.1, 0.5, 1, 2, 3, -1, 6.5, -30};
        double[] expected = {0, 0.1124629160182849, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527,
                0.9999779095030014, -0.8427007929497149, 1, -1};
        assertArrayEquals(expected, eval(1, in -> in.get(0).erf(), in("x", F, Shape.of(x.length), x)), 1e-15);
    }

    @Test
    void unaryHandValues() {
        assertArrayEquals(new double[] {0, 1, 2}, eval(1, in -> in.get(0).sqrt(), in("x", F, Shape.of(3), 0, 1, 4)), TIGHT);
        assertArrayEquals(new double[] {0, 2, 0.5}, eval(1, in -> in.get(0).relu(), in("x", F, Shape.of(3), -3, 2, 0.5)), TIGHT);
        assertArrayEquals(new double[] {0.5}, eval(1, in -> in.get(0).sigmoid(), in("x", F, Shape.SCALAR, 0)), TIGHT);
    }

    /** [2,1] op [3] broadcasts to [2,3]: out[i][j] = f(a[i], b[j]). */
    @ParameterizedTest
    @EnumSource(BinaryFn.class)
    void binaryRowsBroadcastAndMatchIndependentFormulas(BinaryFn fn) {
        double[] a = {0.5, 2};
        double[] b = {-1, 0.5, 3};
        double[] expected = new double[6];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                double x = a[i];
                double y = b[j];
                expected[i * 3 + j] = switch (fn) {
                    case ADD -> x + y;
                    case SUB -> x + -y;
                    case MUL -> x * y;
                    case DIV -> x * (1 / y);
                    case POW -> Math.exp(y * Math.log(x));
                    case MAX -> x >= y ? x : y;
                    case MIN -> x <= y ? x : y;
                };
            }
        }
        double[] actual = eval(1, in -> in.get(0).graph().apply(new Binary(fn), in.get(0), in.get(1)),
                flat(in("a", F, Shape.of(2, 1), a), in("b", F, Shape.of(3), b)));
        assertArrayEquals(expected, actual, TIGHT);
    }

    @Test
    void binaryHandValues() {
        assertArrayEquals(new double[] {11, 21, 31, 12, 22, 32}, eval(1, in -> in.get(0).add(in.get(1)),
                flat(in("a", F, Shape.of(2, 1), 1, 2), in("b", F, Shape.of(3), 10, 20, 30))), TIGHT);
        // [2,1,2] - [3,1] -> [2,3,2]
        assertArrayEquals(new double[] {0, 1, -1, 0, -2, -1, 2, 3, 1, 2, 0, 1}, eval(1, in -> in.get(0).sub(in.get(1)),
                flat(in("a", F, Shape.of(2, 1, 2), 1, 2, 3, 4), in("b", F, Shape.of(3, 1), 1, 2, 3))), TIGHT);
        assertArrayEquals(new double[] {2, 4, 6, 8}, eval(2, in -> in.get(0).mul(in.get(1)),
                flat(in("a", F, Shape.SCALAR, 2), in("b", F, Shape.of(Shape.BATCH, 2), 1, 2, 3, 4))), TIGHT);
        assertArrayEquals(new double[] {8, 0.25}, eval(1, in -> in.get(0).pow(in.get(1)),
                flat(in("a", F, Shape.of(2), 2, 4), in("b", F, Shape.of(2), 3, -1))), TIGHT);
        assertArrayEquals(new double[] {7, -3}, eval(1, in -> in.get(0).max(in.get(1)),
                flat(in("a", L, Shape.of(2), 7, -5), in("b", L, Shape.of(2), 3, -3))), TIGHT);
    }

    @Test
    void compare() {
        Object[] ab = flat(in("a", F, Shape.of(3), 1, 2, 3), in("b", F, Shape.SCALAR, 2));
        assertArrayEquals(new double[] {1, 0, 0}, eval(1, in -> in.get(0).less(in.get(1)), ab), TIGHT);
        assertArrayEquals(new double[] {0, 0, 1}, eval(1, in -> in.get(0).greater(in.get(1)), ab), TIGHT);
        assertArrayEquals(new double[] {0, 1, 0}, eval(1, in -> in.get(0).equal(in.get(1)), ab), TIGHT);
        assertArrayEquals(new double[] {1, 0, 0, 1}, eval(1, in -> in.get(0).equal(in.get(1)),
                flat(in("a", L, Shape.of(2, 1), 4, 5), in("b", L, Shape.of(2), 4, 5))), TIGHT);
    }

    @Test
    void where() {
        assertArrayEquals(new double[] {1, 10, 3}, eval(1, in -> in.get(0).where(in.get(1), in.get(2)),
                flat(in("c", B, Shape.of(3), 1, 0, 1), in("a", F, Shape.of(3), 1, 2, 3), in("b", F, Shape.SCALAR, 10))), TIGHT);
        assertArrayEquals(new double[] {1, 2, 7, 7}, eval(1, in -> in.get(0).where(in.get(1), in.get(2)),
                flat(in("c", B, Shape.of(2, 1), 1, 0), in("a", F, Shape.of(2), 1, 2), in("b", F, Shape.of(1), 7))), TIGHT);
    }

    @Test
    void reduce() {
        Object[] x = in("x", F, Shape.of(2, 3), 1, 5, 3, 4, 2, 6);
        assertArrayEquals(new double[] {9, 12}, eval(1, in -> in.get(0).sum(1), x), TIGHT);
        assertArrayEquals(new double[] {9, 12}, eval(1, in -> in.get(0).sum(-1), x), TIGHT);
        assertArrayEquals(new double[] {2.5, 3.5, 4.5}, eval(1, in -> in.get(0).mean(0), x), TIGHT);
        assertArrayEquals(new double[] {5, 6}, eval(1, in -> in.get(0).amaxKeep(1), x), TIGHT);
        assertArrayEquals(new double[] {21}, eval(1, in -> in.get(0).sum(), x), TIGHT);
        assertArrayEquals(new double[] {3.5}, eval(1, in -> in.get(0).mean(), x), TIGHT);
        // [2,2,2] reduced over axes 0 and 2
        assertArrayEquals(new double[] {1 + 2 + 5 + 6, 3 + 4 + 7 + 8}, eval(1, in -> in.get(0).sumKeep(0, 2),
                in("x", F, Shape.of(2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8)), TIGHT);
        assertArrayEquals(new double[] {-1}, eval(1, in -> in.get(0).amax(), in("x", F, Shape.of(2), -3, -1)), TIGHT);
    }

    @Test
    void logSoftmax() {
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertArrayEquals(new double[] {1 - lse, 2 - lse, 3 - lse, -Math.log(3), -Math.log(3), -Math.log(3)},
                eval(1, in -> in.get(0).logSoftmax(1), in("x", F, Shape.of(2, 3), 1, 2, 3, 1000, 1000, 1000)), TIGHT);
        double l2 = Math.log(1 + Math.exp(3));
        assertArrayEquals(new double[] {-l2, 3 - l2, 3 - l2, -l2}, eval(1, in -> in.get(0).logSoftmax(0),
                in("x", F, Shape.of(2, 2), 0, 3, 3, 0)), TIGHT);
    }

    @Test
    void matMul() {
        assertArrayEquals(new double[] {19, 22, 43, 50}, eval(1, in -> in.get(0).matmul(in.get(1)),
                flat(in("a", F, Shape.of(2, 2), 1, 2, 3, 4), in("b", F, Shape.of(2, 2), 5, 6, 7, 8))), TIGHT);
        assertArrayEquals(new double[] {1 * 4 + 2 * 5 + 3 * 6}, eval(1, in -> in.get(0).matmul(in.get(1)),
                flat(in("a", F, Shape.of(1, 3), 1, 2, 3), in("b", F, Shape.of(3, 1), 4, 5, 6))), TIGHT);
    }

    @Test
    void batchedMatMul() {
        assertArrayEquals(new double[] {1, 4, 3, 8, 5, 12, 7, 16}, eval(1, in -> in.get(0).matmul(in.get(1)),
                flat(in("a", F, Shape.of(2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8), in("b", F, Shape.of(2, 2), 1, 0, 0, 2))), TIGHT);
        // [1, 2] broadcast against a stack of two [2, 1]
        assertArrayEquals(new double[] {3, 8}, eval(1, in -> in.get(0).matmul(in.get(1)),
                flat(in("a", F, Shape.of(1, 1, 2), 1, 2), in("b", F, Shape.of(2, 2, 1), 1, 1, 2, 3))), TIGHT);
        assertEquals(Shape.of(Shape.BATCH, 3, 4, 5), new MatMul().infer(List.of(
                new TensorType(F, Shape.of(Shape.BATCH, 1, 4, 2)), new TensorType(F, Shape.of(3, 2, 5)))).shape());
        assertThrows(IllegalArgumentException.class, () -> new MatMul().infer(List.of(
                new TensorType(F, Shape.of(2, 4, 2)), new TensorType(F, Shape.of(3, 2, 5)))));
    }

    @Test
    void gather() {
        Object[] data = in("d", F, Shape.of(3, 2), 1, 2, 3, 4, 5, 6);
        assertArrayEquals(new double[] {5, 6, 1, 2, 5, 6}, eval(3, in -> in.get(0).gather(in.get(1)),
                flat(data, in("i", L, Shape.of(Shape.BATCH), 2, 0, 2))), TIGHT);
        assertArrayEquals(new double[] {30, 10, 20, 30}, eval(1, in -> in.get(0).gather(in.get(1)),
                flat(in("d", F, Shape.of(3), 10, 20, 30), in("i", L, Shape.of(2, 2), 2, 0, 1, 2))), TIGHT);
        assertThrows(IllegalArgumentException.class, () -> eval(1, in -> in.get(0).gather(in.get(1)),
                flat(data, in("i", L, Shape.of(1), 3))));
    }

    @Test
    void gatherElements() {
        Object[] data = in("d", F, Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
        assertArrayEquals(new double[] {3, 4}, eval(1, in -> in.get(0).gatherElements(in.get(1), 1),
                flat(data, in("i", L, Shape.of(2, 1), 2, 0))), TIGHT);
        assertArrayEquals(new double[] {3, 4}, eval(1, in -> in.get(0).gatherElements(in.get(1), -1),
                flat(data, in("i", L, Shape.of(2, 1), 2, 0))), TIGHT);
        assertArrayEquals(new double[] {4, 2, 6}, eval(1, in -> in.get(0).gatherElements(in.get(1), 0),
                flat(data, in("i", L, Shape.of(1, 3), 1, 0, 1))), TIGHT);
        assertThrows(IllegalArgumentException.class, () -> eval(1, in -> in.get(0).gatherElements(in.get(1), 1),
                flat(data, in("i", L, Shape.of(2, 1), 3, 0))));
    }

    @Test
    void oneHot() {
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 0, 0, 0}, eval(3, in -> in.get(0).oneHot(3),
                in("i", L, Shape.of(Shape.BATCH), 2, 0, 5)), TIGHT);
    }

    @Test
    void transpose() {
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, eval(1, in -> in.get(0).transpose(1, 0),
                in("x", F, Shape.of(2, 3), 1, 2, 3, 4, 5, 6)), TIGHT);
        double[] x = new double[24];
        for (int i = 0; i < 24; i++) {
            x[i] = i;
        }
        // out[k][i][j] = x[i][j][k] for x of shape [2,3,4]
        double[] expected = new double[24];
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    expected[(k * 2 + i) * 3 + j] = x[(i * 3 + j) * 4 + k];
                }
            }
        }
        assertArrayEquals(expected, eval(1, in -> in.get(0).transpose(2, 0, 1), in("x", F, Shape.of(2, 3, 4), x)), TIGHT);
    }

    @Test
    void layout() {
        Object[] x = in("x", F, Shape.of(Shape.BATCH, 2), 1, 2, 3, 4);
        assertArrayEquals(new double[] {1, 2, 3, 4}, eval(2, in -> in.get(0).reshape(Shape.of(Shape.batchTimes(2))), x), TIGHT);
        assertArrayEquals(new double[] {1, 2, 1, 2}, eval(2, in -> in.get(0).expand(Shape.of(Shape.BATCH, 2)),
                in("x", F, Shape.of(2), 1, 2)), TIGHT);
        assertArrayEquals(new double[] {1, 1, 1, 2, 2, 2}, eval(1, in -> in.get(0).expand(Shape.of(2, 3)),
                in("x", F, Shape.of(2, 1), 1, 2)), TIGHT);
        assertArrayEquals(new double[] {1, 2, 9, 3, 4, 8}, eval(2, in -> in.get(0).concat(1, List.of(in.get(1))),
                flat(x, in("y", F, Shape.of(Shape.BATCH, 1), 9, 8))), TIGHT);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, eval(1, in -> in.get(0).concat(0, List.of(in.get(1))),
                flat(in("a", F, Shape.of(1, 2), 1, 2), in("b", F, Shape.of(2, 2), 3, 4, 5, 6))), TIGHT);
        assertArrayEquals(new double[] {2, 3, 5, 6}, eval(1, in -> in.get(0).slice(1, 1, 3),
                in("x", F, Shape.of(2, 3), 1, 2, 3, 4, 5, 6)), TIGHT);
        assertArrayEquals(new double[] {4, 5, 6}, eval(1, in -> in.get(0).slice(-2, 1, 2),
                in("x", F, Shape.of(2, 3), 1, 2, 3, 4, 5, 6)), TIGHT);
    }

    @Test
    void castSizeConstantInput() {
        Object[] x = in("x", F, Shape.of(Shape.BATCH), -1.7, 2.7, 0);
        assertArrayEquals(new double[] {-1, 2, 0}, eval(3, in -> in.get(0).cast(DType.INT64), x), TIGHT);
        assertArrayEquals(new double[] {1, 1, 0}, eval(3, in -> in.get(0).cast(DType.BOOL), x), TIGHT);
        assertArrayEquals(new double[] {-1.7, 2.7, 0}, eval(3, in -> in.get(0), x), TIGHT);
        assertArrayEquals(new double[] {3, -2}, eval(1, in -> in.get(0).cast(DType.FLOAT32), in("i", L, Shape.of(2), 3, -2)), TIGHT);
        assertArrayEquals(new double[] {12}, eval(4, in -> in.get(0).size(), in("x", F, Shape.of(Shape.BATCH, 3), new double[12])), TIGHT);
        assertArrayEquals(new double[] {16}, eval(4, in -> in.get(0).size(), in("x", F, Shape.of(2, Shape.batchTimes(2)), new double[16])), TIGHT);
        Graph g = new Graph();
        g.output("c", g.constant(Tensor.of(Shape.of(2), 0.5f, -2f)));
        g.output("l", g.constant(Tensor.of(Shape.of(1), 7L)));
        Map<String, double[]> out = ReferenceInterpreter.run(g, 1, Map.of());
        assertArrayEquals(new double[] {0.5, -2}, out.get("c"), TIGHT);
        assertArrayEquals(new double[] {7}, out.get("l"), TIGHT);
    }

    @Test
    void initialValuesServeAsDefaultsAndMissingInputsFail() {
        Graph g = new Graph();
        Value p = g.input("p", Role.PARAMETER, Tensor.of(Shape.of(2), 1f, 2f));
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(2));
        g.output("y", p.add(x));
        assertArrayEquals(new double[] {11, 22}, ReferenceInterpreter.run(g, 1, Map.of("x", new double[] {10, 20})).get("y"), TIGHT);
        assertThrows(IllegalArgumentException.class, () -> ReferenceInterpreter.run(g, 1, Map.of()));
    }
}
