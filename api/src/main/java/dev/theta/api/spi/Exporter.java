package dev.theta.api.spi;

import java.io.IOException;
import java.nio.file.Path;

/** Writes a trained model in a standalone format. */
public interface Exporter {
    /** Writes the model to {@code file}, replacing it atomically if it exists. */
    void export(ExportRequest request, Path file) throws IOException;

    /** The file name a run directory uses for this format, such as {@code model.onnx}. */
    String fileName();
}
