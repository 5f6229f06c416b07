package dev.theta.hypotheses;

import dev.theta.api.graph.Value;
import dev.theta.api.ops.ReduceFn;
import dev.theta.api.spi.Initializer;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.Arrays;

/**
 * One pre-LayerNorm transformer block on the residual stream h [TN, C] (T tokens of N windows):
 * h + attn(ln_1(h)), then h + mlp(ln_2(h)). Attention is causal multi-head scaled dot-product attention; the MLP is
 * C → 4C → C with GELU. The pieces are compositions of primitives, so autodiff gives their exact gradients. Dropout
 * (training step only) sits where nanoGPT puts it: on the attention probabilities and on the outputs of both
 * {@code c_proj} projections, before they join the residual stream.
 */
final class TransformerBlock {
    /**
     * What every block shares. {@code window} is T, {@code layers} scales the residual projections' initial values,
     * {@code dropout} is the training step's drop probability.
     */
    record Settings(int window, int embedding, int heads, boolean bias, boolean geluTanh, double initStd, int layers,
                    double dropout) {
        Settings withWindow(int t) {
            return new Settings(t, embedding, heads, bias, geluTanh, initStd, layers, dropout);
        }

        Initializer weightInit() {
            return Initializer.normal(initStd);
        }

        /** GPT-2's scaled init of the projections into the residual stream: std / √(2 · layers). */
        Initializer residualInit() {
            return Initializer.normal(initStd / Math.sqrt(2.0 * layers));
        }
    }

    /** PyTorch's nn.LayerNorm default. */
    static final float LAYER_NORM_EPS = 1e-5f;
    private static final Initializer ONES = (data, shape, fanIn, fanOut, random) -> Arrays.fill(data, 1f);
    /** Added to masked attention logits: exp of it underflows to exactly 0, and it stays finite (no inf − inf). */
    private static final float MASKED = -1e9f;

    private TransformerBlock() {
    }

    static Value apply(Parameters p, String prefix, Value h, Settings s) {
        h = h.add(attention(p, prefix + "attn.", layerNorm(p, prefix + "ln_1.", h, s), s));
        return h.add(mlp(p, prefix + "mlp.", layerNorm(p, prefix + "ln_2.", h, s), s));
    }

    /** (x − mean) / √(var + ε) · weight + bias over the last axis, var the biased variance (as nn.LayerNorm). */
    static Value layerNorm(Parameters p, String prefix, Value x, Settings s) {
        int last = x.shape().rank() - 1;
        int c = x.shape().dim(last);
        Value centred = x.sub(x.reduce(ReduceFn.MEAN, new int[] {last}, true));
        Value variance = centred.mul(centred).reduce(ReduceFn.MEAN, new int[] {last}, true);
        Value y = centred.div(variance.add(LAYER_NORM_EPS).sqrt())
                .mul(p.create(prefix + "weight", Shape.of(c), c, c, ONES));
        return s.bias() ? y.add(p.create(prefix + "bias", Shape.of(c), c, c, Initializer.ZEROS)) : y;
    }

    /** x [TN, in] · W [in, out] (+ b). */
    static Value linear(Parameters p, String prefix, Value x, int out, Initializer init, Settings s) {
        int in = x.shape().dim(1);
        Value y = x.matmul(p.create(prefix + "weight", Shape.of(in, out), in, out, init));
        return s.bias() ? y.add(p.create(prefix + "bias", Shape.of(out), in, out, Initializer.ZEROS)) : y;
    }

    /**
     * Causal self-attention: q, k, v from one projection [TN, 3C], split into H heads of d = C / H channels,
     * softmax(q kᵀ / √d + mask) v with the mask hiding later positions, heads concatenated and projected.
     */
    static Value attention(Parameters p, String prefix, Value x, Settings s) {
        int t = s.window();
        int c = s.embedding();
        int heads = s.heads();
        int d = c / heads;
        Value qkv = linear(p, prefix + "c_attn.", x, 3 * c, s.weightInit(), s);
        // [TN, C] → [N, T, H, d] → [N, H, T, d]
        Value q = heads(qkv.slice(1, 0, c), s).transpose(0, 2, 1, 3);
        Value kT = heads(qkv.slice(1, c, 2 * c), s).transpose(0, 2, 3, 1);
        Value v = heads(qkv.slice(1, 2 * c, 3 * c), s).transpose(0, 2, 1, 3);
        Value logits = q.matmul(kT).mul((float) (1 / Math.sqrt(d))).add(x.graph().constant(causalMask(t)));
        Value probabilities = p.dropout(logits.softmax(3), s.dropout());
        Value attended = probabilities.matmul(v).transpose(0, 2, 1, 3).reshape(Shape.of(-t, c));
        return p.dropout(linear(p, prefix + "c_proj.", attended, c, s.residualInit(), s), s.dropout());
    }

    private static Value heads(Value x, Settings s) {
        return x.reshape(Shape.of(Shape.BATCH, s.window(), s.heads(), s.embedding() / s.heads()));
    }

    /** [T, T]: 0 where position j ≤ i may be attended from i, {@link #MASKED} above the diagonal. */
    static Tensor causalMask(int t) {
        float[] mask = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                mask[i * t + j] = MASKED;
            }
        }
        return Tensor.of(Shape.of(t, t), mask);
    }

    /** C → 4C → GELU → C. */
    static Value mlp(Parameters p, String prefix, Value x, Settings s) {
        int c = s.embedding();
        Value hidden = linear(p, prefix + "c_fc.", x, 4 * c, s.weightInit(), s);
        return p.dropout(linear(p, prefix + "c_proj.", gelu(hidden, s.geluTanh()), c, s.residualInit(), s), s.dropout());
    }

    /** x·Φ(x) = x/2 · (1 + erf(x/√2)); the tanh form is x/2 · (1 + tanh(√(2/π)(x + 0.044715x³))). */
    static Value gelu(Value x, boolean tanh) {
        if (tanh) {
            Value inner = x.add(x.mul(x).mul(x).mul(0.044715f)).mul((float) Math.sqrt(2 / Math.PI));
            return x.mul(0.5f).mul(inner.tanh().add(1f));
        }
        return x.mul(0.5f).mul(x.mul((float) (1 / Math.sqrt(2))).erf().add(1f));
    }
}
