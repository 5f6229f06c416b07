package dev.theta.api.graph;

import dev.theta.api.reference.ReferenceInterpreter;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Batch normalization's composition, run by the float64 reference interpreter, against batch normalization written
 * out by hand in double loops, both modes, on random [N, C, H, W], [N, C, L] and [N, C] shapes.
 */
class BatchNormTest {
    private static final double TOLERANCE = 1e-12;

    /** The value at (n, c, i) of x laid out [N, C, inner]. */
    private static int at(int n, int c, int i, int channels, int inner) {
        return (n * channels + c) * inner + i;
    }

    @RepeatedTest(6)
    void bothModesMatchAHandWrittenReference(RepetitionInfo info) {
        Random r = new Random(40 + info.getCurrentRepetition());
        int batch = 2 + r.nextInt(3);
        int channels = 1 + r.nextInt(4);
        int[] dims = switch (info.getCurrentRepetition() % 3) {
            case 0 -> new int[] {Shape.BATCH, channels, 2 + r.nextInt(3), 2 + r.nextInt(3)};
            case 1 -> new int[] {Shape.BATCH, channels, 1 + r.nextInt(5)};
            default -> new int[] {Shape.BATCH, channels};
        };
        Shape shape = Shape.of(dims);
        int inner = shape.size(batch) / (batch * channels);
        // Constants reach the graph as float32: these are exact there.
        double eps = (float) (1e-3 + r.nextDouble() * 1e-2);
        double momentum = r.nextInt(9) / 8.0;

        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, shape);
        Value weight = g.input("weight", Role.DATA, DType.FLOAT32, Shape.of(channels));
        Value bias = g.input("bias", Role.DATA, DType.FLOAT32, Shape.of(channels));
        Value mean = g.input("mean", Role.DATA, DType.FLOAT32, Shape.of(channels));
        Value variance = g.input("variance", Role.DATA, DType.FLOAT32, Shape.of(channels));
        BatchNorm.Moments m = BatchNorm.moments(x);
        g.output("training", BatchNorm.normalize(m, weight, bias, eps));
        g.output("inference", BatchNorm.inference(x, mean, variance, weight, bias, eps));
        g.output("running_mean", BatchNorm.running(mean, m.mean(), momentum));
        g.output("running_var", BatchNorm.running(variance, m.unbiasedVariance(), momentum));

        Map<String, double[]> in = new LinkedHashMap<>();
        in.put("x", draw(r, shape.size(batch), -3, 3));
        in.put("weight", draw(r, channels, -2, 2));
        in.put("bias", draw(r, channels, -2, 2));
        in.put("mean", draw(r, channels, -1, 1));
        in.put("variance", draw(r, channels, 0.2, 3));
        Map<String, double[]> out = ReferenceInterpreter.run(g, batch, in);

        double[] xs = in.get("x");
        int count = batch * inner;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                for (int i = 0; i < inner; i++) {
                    sum += xs[at(n, c, i, channels, inner)];
                }
            }
            double mu = sum / count;
            double squares = 0;
            for (int n = 0; n < batch; n++) {
                for (int i = 0; i < inner; i++) {
                    double d = xs[at(n, c, i, channels, inner)] - mu;
                    squares += d * d;
                }
            }
            double biased = squares / count;
            double unbiased = squares / (count - 1);
            double gamma = in.get("weight")[c];
            double beta = in.get("bias")[c];
            for (int n = 0; n < batch; n++) {
                for (int i = 0; i < inner; i++) {
                    int k = at(n, c, i, channels, inner);
                    double train = (xs[k] - mu) / Math.sqrt(biased + eps) * gamma + beta;
                    double infer = (xs[k] - in.get("mean")[c]) / Math.sqrt(in.get("variance")[c] + eps) * gamma + beta;
                    assertEquals(train, out.get("training")[k], TOLERANCE, "training, element " + k);
                    assertEquals(infer, out.get("inference")[k], TOLERANCE, "inference, element " + k);
                }
            }
            assertEquals((1 - momentum) * in.get("mean")[c] + momentum * mu, out.get("running_mean")[c], TOLERANCE);
            assertEquals((1 - momentum) * in.get("variance")[c] + momentum * unbiased, out.get("running_var")[c], TOLERANCE);
        }
    }

    @Test
    void aSingleValuePerChannelKeepsTheRunningVarianceFinite() {
        Graph g = new Graph();
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 2));
        g.output("v", BatchNorm.moments(x).unbiasedVariance());
        assertEquals(0, ReferenceInterpreter.run(g, 1, Map.of("x", new double[] {3, -1})).get("v")[1], 0);
    }

    @Test
    void badInputsAndSettingsAreRefusedWithWhatIsWrong() {
        Graph g = new Graph();
        Value flat = g.input("flat", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH));
        Value x = g.input("x", Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, 3));
        assertEquals("batch normalization needs float32 [N, C] or [N, C, H, W] values with a static C, got float32[N]",
                assertThrows(IllegalArgumentException.class, () -> BatchNorm.check(flat, 0.1, 1e-5)).getMessage());
        assertEquals("batch normalization momentum must be in [0, 1]: 1.5",
                assertThrows(IllegalArgumentException.class, () -> BatchNorm.check(x, 1.5, 1e-5)).getMessage());
        assertEquals("batch normalization eps must be positive: 0.0",
                assertThrows(IllegalArgumentException.class, () -> BatchNorm.check(x, 0.1, 0)).getMessage());
    }

    private static double[] draw(Random r, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return v;
    }
}
