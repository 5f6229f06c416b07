package dev.theta.tasks.clip;

import dev.theta.api.graph.Graph;
import dev.theta.api.graph.Role;
import dev.theta.api.graph.Value;
import dev.theta.api.spi.DualEncoder;
import dev.theta.api.spi.Parameters;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;

import java.util.Map;

/**
 * The two towers of a trained {@link DualEncoder} as graphs of their own: input {@value TrainingProgram#FEATURES}
 * (images float32 [N, imageSize], or token ids int64 [N, maxTokens]) and output {@value #EMBEDDING} (unit rows
 * [N, d]), with the trained parameters as the inputs' initial values. Backends run them for evaluation; the ONNX
 * exporter writes them as standalone models.
 */
public final class TowerGraphs {
    public static final String EMBEDDING = "embedding";

    private TowerGraphs() {
    }

    /** The image tower; {@code parameters} are keyed by graph input name ({@code param/image_W1}). */
    public static Graph image(DualEncoder model, Map<String, Tensor> parameters) {
        Graph g = new Graph();
        Value x = g.input(TrainingProgram.FEATURES, Role.DATA, DType.FLOAT32, Shape.of(Shape.BATCH, model.imageSize()));
        g.output(EMBEDDING, model.imageEmbedding(trained(g, parameters), x));
        return g;
    }

    /** The text tower; {@code parameters} are keyed by graph input name ({@code param/text_E}). */
    public static Graph text(DualEncoder model, Map<String, Tensor> parameters) {
        Graph g = new Graph();
        Value x = g.input(TrainingProgram.FEATURES, Role.DATA, DType.INT64, Shape.of(Shape.BATCH, model.maxTokens()));
        g.output(EMBEDDING, model.textEmbedding(trained(g, parameters), x));
        return g;
    }

    private static Parameters trained(Graph g, Map<String, Tensor> parameters) {
        return (name, shape, fanIn, fanOut, init) -> {
            Tensor value = parameters.get(TrainingProgram.parameter(name));
            if (value == null || !value.shape().equals(shape)) {
                throw new IllegalArgumentException("no trained value of shape " + shape + " for parameter '" + name
                        + "' (have " + (value == null ? "none" : value.shape()) + ")");
            }
            return g.input(TrainingProgram.parameter(name), Role.PARAMETER, value);
        };
    }
}
