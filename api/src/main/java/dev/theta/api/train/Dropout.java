package dev.theta.api.train;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Value;
import dev.theta.api.ops.RandomBits;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

/**
 * The step graph's {@link Parameters#dropout}: call site s (the s-th dropout call while the hypothesis builds its
 * scores, from 0) draws {@link RandomBits} from stream {@code RandomBits.stream(seed, s)} with the step number
 * ({@value TrainingProgram#STEP}, as int64) as counter, and drops element i where its bits are below
 * round(p · 2^31): a drop probability of p to within 2^-32. Kept elements are multiplied by the float32 nearest to
 * 1 / (1 − p).
 */
final class Dropout {
    private final Graph graph;
    private final long seed;
    private int sites;
    private Value counter;

    Dropout(Graph graph, long seed) {
        this.graph = graph;
        this.seed = seed;
    }

    Value apply(Value x, double p) {
        Parameters.requireDropoutProbability(p);
        int site = sites++;
        if (p == 0) {
            return x;
        }
        if (x.type().dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("dropout needs a float32 value, got " + x.type());
        }
        Value bits = x.randomBits(RandomBits.stream(seed, site), counter());
        Value keep = bits.greater(graph.constant(Tensor.of(Shape.SCALAR, threshold(p) - 1)));
        return x.mul(keep.cast(DType.FLOAT32).mul(scale(p)));
    }

    /** Bits below this are dropped. */
    static long threshold(double p) {
        return Math.round(p * RandomBits.RANGE);
    }

    static float scale(double p) {
        return (float) (1 / (1 - p));
    }

    private Value counter() {
        if (counter == null) {
            counter = TrainingProgram.stepInput(graph).cast(DType.INT64);
        }
        return counter;
    }
}
