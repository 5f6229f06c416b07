package dev.theta.tasks.clip;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.theta.api.spi.DataException;
import dev.theta.api.spi.SavedModel;
import dev.theta.api.spi.SavedModelLoader;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.backend.onnxruntime.export.OnnxExporter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The exported towers ({@link TowerExport}) run through the saved-model SPI (ONNX Runtime), with the vocabulary and
 * prompts read from their metadata: zero-shot classification from the two ONNX files alone.
 */
public final class OnnxTowers implements Towers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SavedModel image;
    private final SavedModel text;
    private final int imageSize;
    private final ImageTextCaptions captions;
    private final List<List<String>> prompts;

    private OnnxTowers(SavedModel image, SavedModel text, int imageSize, ImageTextCaptions captions, List<List<String>> prompts) {
        this.image = image;
        this.text = text;
        this.imageSize = imageSize;
        this.captions = captions;
        this.prompts = prompts;
    }

    /** Opens {@value TowerExport#IMAGE_TOWER} and {@value TowerExport#TEXT_TOWER} in {@code dir}. */
    public static OnnxTowers open(Path dir) throws DataException, IOException {
        SavedModel image = SavedModelLoader.load(dir.resolve(TowerExport.IMAGE_TOWER));
        SavedModel text = null;
        try {
            text = SavedModelLoader.load(dir.resolve(TowerExport.TEXT_TOWER));
            Map<String, String> meta = text.metadata();
            List<String> vocabulary = JSON.readValue(meta.get(TowerExport.VOCABULARY), new TypeReference<>() { });
            List<List<String>> prompts = JSON.readValue(meta.get(TowerExport.PROMPTS), new TypeReference<>() { });
            int maxTokens = Integer.parseInt(meta.get(TowerExport.MAX_TOKENS));
            int size = image.inputs().get(OnnxExporter.INPUT).shape().dim(1);
            return new OnnxTowers(image, text, size, ImageTextCaptions.of(vocabulary, maxTokens), prompts);
        } catch (IOException | RuntimeException e) {
            image.close();
            if (text != null) {
                text.close();
            }
            throw e;
        }
    }

    /** How prompts become token ids, from the metadata. */
    public ImageTextCaptions captions() {
        return captions;
    }

    /** Each class's prompts, from the metadata. */
    public List<List<String>> prompts() {
        return prompts;
    }

    @Override
    public float[] images(float[] pixels, int n) {
        return run(image, Tensor.of(Shape.of(n, imageSize), Arrays.copyOf(pixels, n * imageSize)));
    }

    @Override
    public float[] texts(long[] tokens, int n) {
        return run(text, Tensor.of(Shape.of(n, captions.maxTokens()), Arrays.copyOf(tokens, n * captions.maxTokens())));
    }

    private static float[] run(SavedModel tower, Tensor input) {
        return tower.run(Map.of(OnnxExporter.INPUT, input), Set.of(TowerGraphs.EMBEDDING)).get(TowerGraphs.EMBEDDING).floats();
    }

    @Override
    public void close() {
        image.close();
        text.close();
    }
}
