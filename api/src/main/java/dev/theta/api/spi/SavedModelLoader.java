package dev.theta.api.spi;

import java.nio.file.Path;
import java.util.ServiceLoader;

/** Opens saved model files of one format; backends register one with {@link ServiceLoader}. */
public interface SavedModelLoader {
    /** Whether this loader reads {@code file} (by its name or content). */
    boolean reads(Path file);

    /** Opens {@code file}; a file that is not a model of this format is a {@link DataException}. */
    SavedModel open(Path file) throws DataException;

    /**
     * Opens {@code file} with the first loader on the class path that reads it; a file no loader reads is a
     * {@link DataException} saying which module would.
     */
    static SavedModel load(Path file) throws DataException {
        for (SavedModelLoader l : ServiceLoader.load(SavedModelLoader.class, SavedModelLoader.class.getClassLoader())) {
            if (l.reads(file)) {
                return l.open(file);
            }
        }
        throw new DataException(file, 0, "no backend on the class path reads this model file; ONNX models need theta-backend-onnxruntime");
    }
}
