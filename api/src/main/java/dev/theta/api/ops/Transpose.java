package dev.theta.api.ops;

import dev.theta.api.graph.TensorType;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;

import java.util.Arrays;
import java.util.List;

/** Permutes axes: out.dim(i) = in.dim(perm[i]). */
public record Transpose(int[] perm) implements Op {
    public Transpose {
        perm = perm.clone();
    }

    @Override
    public String onnxName() {
        return "Transpose";
    }

    @Override
    public TensorType infer(List<TensorType> inputs) {
        Checks.arity(inputs, 1);
        Shape in = inputs.get(0).shape();
        if (perm.length != in.rank() || !Arrays.equals(Arrays.stream(perm).sorted().toArray(), identity(perm.length))) {
            throw new IllegalArgumentException("perm " + Arrays.toString(perm) + " is not a permutation of rank " + in.rank());
        }
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = in.dim(perm[i]);
        }
        return inputs.get(0).withShape(Shape.of(out));
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    @Override
    public List<Value> vjp(Value y, Value g) {
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[perm[i]] = i;
        }
        return List.of(g.transpose(inverse));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transpose t && Arrays.equals(t.perm, perm);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(perm);
    }

    @Override
    public String toString() {
        return "Transpose" + Arrays.toString(perm);
    }
}
