package dev.theta.backend.onnxruntime.saved;

import dev.theta.api.spi.DataException;
import dev.theta.api.spi.SavedModel;
import dev.theta.api.spi.SavedModelLoader;

import java.nio.file.Files;
import java.nio.file.Path;

/** Reads {@code .onnx} files with ONNX Runtime. */
public final class OrtSavedModelLoader implements SavedModelLoader {
    @Override
    public boolean reads(Path file) {
        return file.getFileName().toString().endsWith(".onnx");
    }

    @Override
    public SavedModel open(Path file) throws DataException {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file, 0, "no such model file");
        }
        ParameterChecksum.verify(file);
        return OrtSavedModel.open(file);
    }
}
