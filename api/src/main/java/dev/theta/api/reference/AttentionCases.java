package dev.theta.api.reference;

import dev.theta.api.graph.Value;
import dev.theta.api.ops.MatMul;
import dev.theta.api.reference.PrimitiveCase.Body;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.List;
import java.util.Random;

import static dev.theta.api.reference.CaseInputs.ANY;
import static dev.theta.api.reference.CaseInputs.f;

/**
 * The cases of stacked matrix products (part of {@link PrimitiveCases}): attention's [B, H, T, D] x [B, H, D, T], a
 * linear layer on a sequence, broadcast batch axes, transposed operands, and causal attention end to end.
 */
final class AttentionCases extends CaseTable {
    private static final long SEED = 0xA77E_2026L;
    private static final int N = Shape.BATCH;

    private AttentionCases() {
        super(new Random(SEED));
    }

    static List<PrimitiveCase> all() {
        return new AttentionCases().build();
    }

    /** Stacks of products: attention's [B, H, T, D] x [B, H, D, T], a linear layer on a sequence, broadcasting. */
    private List<PrimitiveCase> build() {
        Body body = (g, in) -> in.get(0).matmul(in.get(1));
        int h = dim();
        int t = dim();
        int d = dim();
        int c = dim();
        add("MatMul", MatMul.class, null, "stacked", body, f("a", ANY, N, h, t, d), f("b", ANY, N, h, d, t));
        add("MatMul", MatMul.class, null, "sequence", body, f("a", ANY, N, t, d), f("b", ANY, d, c));
        add("MatMul", MatMul.class, null, "broadcast", body, f("a", ANY, c, 1, t, d), f("b", ANY, h, d, t));
        add("MatMul", MatMul.class, null, "matrix x stack", body, f("a", ANY, t, d), f("b", ANY, N, d, c));
        add("MatMul", MatMul.class, null, "inner batch", body, f("a", ANY, h, t, N), f("b", ANY, h, N, d));
        add("MatMul", MatMul.class, null, "stack x transposed stack",
                (g, in) -> in.get(0).matmul(in.get(1).transpose(0, 2, 1)), f("a", ANY, N, t, d), f("b", ANY, N, c, d));
        add("MatMul", MatMul.class, null, "transposed stack x stack",
                (g, in) -> in.get(0).transpose(0, 1, 3, 2).matmul(in.get(1)), f("a", ANY, h, N, d, t), f("b", ANY, h, N, d, c));
        add("MatMul", MatMul.class, null, "sequence x transposed matrix",
                (g, in) -> in.get(0).matmul(in.get(1).transpose(1, 0)), f("a", ANY, N, t, d), f("b", ANY, c, d));
        float[] lower = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j <= i; j++) {
                lower[i * t + j] = 1;
            }
        }
        Tensor causal = Tensor.wrap(DType.BOOL, Shape.of(t, t), lower);
        float scale = (float) (1 / Math.sqrt(d));
        add("MatMul", MatMul.class, null, "causal attention, GELU", (g, in) -> {
            Value scores = in.get(0).matmul(in.get(1).transpose(0, 1, 3, 2)).mul(scale);
            Value att = g.constant(causal).where(scores, g.scalar(-1e4f)).softmax(-1).matmul(in.get(2));
            return att.mul(att.mul((float) Math.sqrt(0.5)).erf().add(1f)).mul(0.5f);
        }, f("q", ANY, N, h, t, d), f("k", ANY, N, h, t, d), f("v", ANY, N, h, t, d));
        return cases();
    }
}
