package dev.theta.tasks.clip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.theta.api.graph.Graph;
import dev.theta.api.spi.Decision;
import dev.theta.api.spi.DualEncoder;
import dev.theta.api.spi.ExportRequest;
import dev.theta.api.tensor.Tensor;
import dev.theta.backend.onnxruntime.export.OnnxExporter;
import dev.theta.tasks.clip.ImageTextCaptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trained dual encoder's towers as two ONNX models, so that zero-shot classification needs nothing but ONNX
 * Runtime: {@value #IMAGE_TOWER} maps pixels (float32 [N, imageSize], scaled to [0, 1]) to unit embeddings and
 * {@value #TEXT_TOWER} maps token ids (int64 [N, maxTokens]) to unit embeddings; each has input {@code input} and
 * output {@value TowerGraphs#EMBEDDING}. Both carry the given provenance plus how to make the ids and the prompts:
 * {@value #VOCABULARY} (the token list, id = position), {@value #MAX_TOKENS}, {@value #TOKENIZER} (the rule, in
 * words) and {@value #PROMPTS} (each class's zero-shot prompts, in class order).
 */
public final class TowerExport {
    public static final String IMAGE_TOWER = "image_tower.onnx";
    public static final String TEXT_TOWER = "text_tower.onnx";
    public static final String VOCABULARY = "theta.clip.vocabulary";
    public static final String MAX_TOKENS = "theta.clip.max_tokens";
    public static final String TOKENIZER = "theta.clip.tokenizer";
    public static final String PROMPTS = "theta.clip.prompts";
    public static final String CLASSES = "theta.classes";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TowerExport() {
    }

    /** Writes both towers into {@code dir}; returns their paths (image tower first). */
    public static List<Path> write(Path dir, DualEncoder model, Map<String, Tensor> parameters, ImageTextCaptions captions,
                                   List<List<String>> prompts, Map<String, String> provenance) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>(provenance);
        metadata.put(VOCABULARY, json(captions.vocabulary()));
        metadata.put(MAX_TOKENS, Integer.toString(captions.maxTokens()));
        metadata.put(TOKENIZER, "lowercase, then words are runs of letters, digits, hyphens and apostrophes; id 0 = "
                + ImageTextCaptions.PAD + " pads to " + MAX_TOKENS + ", id 1 = " + ImageTextCaptions.UNKNOWN
                + " for words outside the vocabulary; a class embeds to the normalised mean of its prompts' embeddings");
        metadata.put(PROMPTS, json(prompts));
        metadata.putIfAbsent(CLASSES, json(ImageTextCaptions.CLASS_NAMES));
        Path image = dir.resolve(IMAGE_TOWER);
        Path text = dir.resolve(TEXT_TOWER);
        write(TowerGraphs.image(model, parameters), metadata, image);
        write(TowerGraphs.text(model, parameters), metadata, text);
        return List.of(image, text);
    }

    private static void write(Graph tower, Map<String, String> metadata, Path file) throws IOException {
        new OnnxExporter().export(new ExportRequest(tower, Decision.NONE, metadata), file);
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
