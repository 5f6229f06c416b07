package dev.theta.api.ops;

import dev.theta.api.autodiff.Broadcasting;
import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;

import java.util.Arrays;
import java.util.List;

/**
 * ONNX MatMul of float32 tensors of rank ≥ 2: a stack of matrix products over the leading (batch) axes,
 * [..., m, k] x [..., k, n] -> [..., m, n], the batch axes broadcast as NumPy does ([B, H, T, D] x [B, H, D, T],
 * [B, T, C] x [C, D]). Any axis may be symbolic; the inner ones must then be the same multiple of N.
 */
public record MatMul() implements Op {
    @Override
    public String onnxName() {
        return "MatMul";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 2);
        TensorType a = inputs.get(0);
        TensorType b = inputs.get(1);
        Checks.floating(a);
        Checks.floating(b);
        Shape as = a.shape();
        Shape bs = b.shape();
        if (as.rank() < 2 || bs.rank() < 2) {
            throw new IllegalArgumentException("expects inputs of rank >= 2: " + as + " x " + bs);
        }
        if (as.dim(-1) != bs.dim(-2)) {
            throw new IllegalArgumentException("inner dimensions differ: " + as + " x " + bs);
        }
        Shape batch;
        try {
            batch = Shape.broadcast(leading(as), leading(bs));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("batch dimensions do not broadcast: " + as + " x " + bs);
        }
        int[] out = Arrays.copyOf(batch.dims(), batch.rank() + 2);
        out[batch.rank()] = as.dim(-2);
        out[batch.rank() + 1] = bs.dim(-1);
        return a.withShape(Shape.of(out));
    }

    /**
     * dA = g · Bᵀ and dB = Aᵀ · g, transposing the last two axes and summing over the batch axes an operand was
     * broadcast along. A rank-2 B against a stacked A (a linear layer on a sequence) gets dB as one product of the
     * rows flattened, [rows, k]ᵀ · [rows, n], rather than a stack of products and a sum.
     */
    @Override
    public List<Value> vjp(Value y, Value g) {
        Value a = y.input(0);
        Value b = y.input(1);
        Shape as = a.shape();
        Shape bs = b.shape();
        Value da = Broadcasting.sumTo(g.matmul(swapLast(b)), as);
        if (as.rank() > 2 && bs.rank() == 2 && as.symbolicDims() <= 1) {
            int rows = Shape.of(Arrays.copyOf(as.dims(), as.rank() - 1)).elementCountDim();
            Value db = a.reshape(Shape.of(rows, as.dim(-1))).transpose(1, 0)
                    .matmul(g.reshape(Shape.of(rows, bs.dim(-1))));
            return List.of(da, db);
        }
        return List.of(da, Broadcasting.sumTo(swapLast(a).matmul(g), bs));
    }

    /** The permutation that swaps the last two of {@code rank} axes: [1, 0] for matrices. */
    public static int[] swapLastPerm(int rank) {
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 2] = rank - 1;
        perm[rank - 1] = rank - 2;
        return perm;
    }

    private static Value swapLast(Value x) {
        return x.transpose(swapLastPerm(x.shape().rank()));
    }

    private static Shape leading(Shape s) {
        return Shape.of(Arrays.copyOf(s.dims(), s.rank() - 2));
    }
}
