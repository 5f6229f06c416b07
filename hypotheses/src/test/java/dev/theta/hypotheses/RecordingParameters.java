package dev.theta.hypotheses;

import dev.theta.api.graph.Value;
import dev.theta.api.spi.Initializer;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.Shape;

import java.util.ArrayList;
import java.util.List;

/** Parameters that delegate {@link #create} and record each {@link #dropout} call (which stays the identity). */
final class RecordingParameters implements Parameters {
    /** One dropout call: the value it was given and the probability. */
    record Call(Value x, double p) {
    }

    private final Parameters create;
    final List<Call> calls = new ArrayList<>();

    RecordingParameters(Parameters create) {
        this.create = create;
    }

    @Override
    public Value create(String name, Shape shape, int fanIn, int fanOut, Initializer initializer) {
        return create.create(name, shape, fanIn, fanOut, initializer);
    }

    @Override
    public Value dropout(Value x, double p) {
        calls.add(new Call(x, p));
        return Parameters.super.dropout(x, p);
    }
}
