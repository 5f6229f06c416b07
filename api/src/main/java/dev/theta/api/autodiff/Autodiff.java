package dev.theta.api.autodiff;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Value;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reverse-mode automatic differentiation: appends the gradient graph of a scalar to the graph holding it. */
public final class Autodiff {
    private Autodiff() {
    }

    /**
     * dLoss/dw for each w in {@code wrt}, as new values of the same graph. A w the loss does not depend on gets a
     * zero gradient.
     */
    public static Map<Value, Value> gradients(Value loss, List<Value> wrt) {
        if (loss.type().shape().rank() != 0 || !loss.type().dtype().isFloating()) {
            throw new IllegalArgumentException("gradients need a float32 scalar, got " + loss.type());
        }
        Graph graph = loss.graph();
        List<Value> nodes = graph.nodes();
        int n = loss.id() + 1;

        // Only nodes that depend on some w and that the loss depends on receive a gradient.
        boolean[] dependsOnWrt = new boolean[n];
        for (Value w : wrt) {
            if (w.id() < n) {
                dependsOnWrt[w.id()] = true;
            }
        }
        for (int i = 0; i < n; i++) {
            for (Value in : nodes.get(i).inputs()) {
                dependsOnWrt[i] |= dependsOnWrt[in.id()];
            }
        }

        Value[] grads = new Value[n];
        grads[loss.id()] = graph.scalar(1f);
        for (int i = n - 1; i >= 0; i--) {
            Value y = nodes.get(i);
            Value g = grads[i];
            if (g == null || !dependsOnWrt[i] || y.inputs().isEmpty()) {
                continue;
            }
            List<Value> inputGrads = y.op().vjp(y, g);
            for (int k = 0; k < inputGrads.size(); k++) {
                Value x = y.input(k);
                Value gx = inputGrads.get(k);
                if (gx == null || !dependsOnWrt[x.id()]) {
                    continue;
                }
                if (!gx.type().equals(x.type())) {
                    throw new IllegalStateException("gradient rule of " + y.op() + " gave " + gx.type() + " for input " + x);
                }
                grads[x.id()] = grads[x.id()] == null ? gx : grads[x.id()].add(gx);
            }
        }

        Map<Value, Value> result = new LinkedHashMap<>();
        for (Value w : wrt) {
            Value g = w.id() < n ? grads[w.id()] : null;
            // A scalar zero expanded, since w's shape may hold the symbolic batch size.
            result.put(w, g != null ? g : graph.constant(Tensor.zeros(w.type().dtype(), Shape.SCALAR)).expand(w.type().shape()));
        }
        return result;
    }
}
