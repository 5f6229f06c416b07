package dev.theta.optimizers;

import dev.theta.api.graph.Value;
import dev.theta.api.options.Option;
import dev.theta.api.options.Range;
import dev.theta.api.spi.ParameterUpdate;

/** Pieces the update rules share, each with PyTorch's arithmetic. */
final class UpdateTerms {
    private UpdateTerms() {
    }

    static Option learningRate(double defaultValue) {
        return Option.number("lr", defaultValue, Range.NON_NEGATIVE, "learning rate η");
    }

    static Option weightDecay(double defaultValue, String doc) {
        return Option.number("weight-decay", defaultValue, Range.NON_NEGATIVE, doc);
    }

    /** The gradient with the L2 penalty λθ added, as PyTorch's {@code weight_decay} does for all but AdamW. */
    static Value l2Gradient(ParameterUpdate u, double weightDecay) {
        return weightDecay == 0 ? u.gradient() : u.gradient().add(u.parameter().mul((float) weightDecay));
    }

    /**
     * decay·avg + (1 − decay)·x, with 1 − decay taken in double so that decays near 1 keep their digits, and flushed
     * to zero where it falls to the edge of float's normal range (|a| ≤ 2⁻¹²⁶), as a CPU in flush-to-zero mode would: a
     * moment whose gradient has become exactly 0 (a weight of a dead ReLU unit) decays through the subnormals, where
     * every multiply takes a microcode assist, ~100× a normal one; on Fashion-MNIST's CNN that made Adam's update of
     * the dense layer 14× slower from the first epoch on. A subnormal moment moves no float32 weight of magnitude
     * above 2⁻¹⁰⁰ by an ulp, so the weights are the same; PyTorch keeps the subnormals (docs/optimizers.md).
     */
    static Value movingAverage(Value avg, Value x, double decay) {
        return flushSubnormal(avg.mul((float) decay).add(x.mul((float) (1 - decay))));
    }

    /**
     * a · sign(relu(|a| − 2⁻¹²⁶)): ±0 (a's sign) for subnormals and ±2⁻¹²⁶; NaN, infinities and other values
     * unchanged. The bound is the smallest normal float, not the largest subnormal: a comparison with a subnormal
     * constant would take the assist on every element. Not a · (|a| > 2⁻¹²⁶): the comparison's float needs a
     * conversion that maps NaN to 0, and with it Adam's whole update was one loop too large for the JIT to vectorise
     * (6.3 against 0.6 ns per element, docs/benchmarks.md); here a NaN a gives NaN either way. Exact: |a| − 2⁻¹²⁶ is
     * positive exactly where |a| exceeds the bound (near it both are multiples of 2⁻¹⁴⁹, so the difference is exact).
     */
    static Value flushSubnormal(Value a) {
        return a.mul(a.abs().sub(Float.MIN_NORMAL).relu().sign());
    }

    /**
     * 1 − β^t for the float32 step t. Computed as −expm1(t·ln β) with Kahan's expm1 ((u − 1)·x / ln u for u = eˣ),
     * because float32 β^t loses about five digits of 1 − β^t when β = 0.999: PyTorch computes it in double.
     */
    static Value oneMinusPower(double beta, Value t) {
        if (beta == 0) {
            return t.graph().scalar(1f);
        }
        Value x = t.mul((float) Math.log(beta));
        Value u = x.exp();
        Value uMinus1 = u.sub(1f);
        Value kahan = uMinus1.equal(uMinus1.zero()).where(x, uMinus1.mul(x).div(u.log()));
        // Far from 0 there is no cancellation to repair, and ln u may be -inf once eˣ underflows.
        return x.less(-0.5f).where(uMinus1, kahan).neg();
    }
}
