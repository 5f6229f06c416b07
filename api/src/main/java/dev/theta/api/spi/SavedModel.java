package dev.theta.api.spi;

import dev.theta.api.graph.TensorType;
import dev.theta.api.tensor.Tensor;

import java.util.Map;
import java.util.Set;

/**
 * A model file run by the backend that reads its format ({@code model.onnx}: the ONNX Runtime backend), found
 * through {@link SavedModelLoader}. Commands and tasks that run exported models go through it and never through a
 * runtime's own API.
 */
public interface SavedModel extends AutoCloseable {
    /** The file's metadata (theta writes its provenance and class names there). */
    Map<String, String> metadata();

    /** The inputs by name: element type and shape, a negative dimension meaning any size. */
    Map<String, TensorType> inputs();

    /** The names of the outputs. */
    Set<String> outputs();

    /** Runs the model on {@code inputs} (by name) and returns the {@code outputs} asked for. */
    Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs);

    @Override
    void close();
}
