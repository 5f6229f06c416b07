package dev.theta.core.contrastive;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.theta.backend.onnxruntime.export.OnnxExporter;
import dev.theta.core.datasets.ImageTextCaptions;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The exported towers ({@link TowerExport}) run in ONNX Runtime, with the vocabulary and prompts read from their
 * metadata: zero-shot classification from the two ONNX files alone.
 */
public final class OnnxTowers implements Towers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession image;
    private final OrtSession text;
    private final int imageSize;
    private final ImageTextCaptions captions;
    private final List<List<String>> prompts;

    private OnnxTowers(OrtSession image, OrtSession text, int imageSize, ImageTextCaptions captions, List<List<String>> prompts) {
        this.image = image;
        this.text = text;
        this.imageSize = imageSize;
        this.captions = captions;
        this.prompts = prompts;
    }

    /** Opens {@value TowerExport#IMAGE_TOWER} and {@value TowerExport#TEXT_TOWER} in {@code dir}. */
    public static OnnxTowers open(Path dir) throws OrtException, IOException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            OrtSession image = env.createSession(dir.resolve(TowerExport.IMAGE_TOWER).toString(), options);
            OrtSession text = null;
            try {
                text = env.createSession(dir.resolve(TowerExport.TEXT_TOWER).toString(), options);
                Map<String, String> meta = text.getMetadata().getCustomMetadata();
                List<String> vocabulary = JSON.readValue(meta.get(TowerExport.VOCABULARY), new TypeReference<>() { });
                List<List<String>> prompts = JSON.readValue(meta.get(TowerExport.PROMPTS), new TypeReference<>() { });
                int maxTokens = Integer.parseInt(meta.get(TowerExport.MAX_TOKENS));
                long[] shape = ((TensorInfo) image.getInputInfo().get(OnnxExporter.INPUT).getInfo()).getShape();
                return new OnnxTowers(image, text, (int) shape[1], ImageTextCaptions.of(vocabulary, maxTokens), prompts);
            } catch (OrtException | IOException | RuntimeException e) {
                image.close();
                if (text != null) {
                    text.close();
                }
                throw e;
            }
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
        return run(image, pixels, null, n, imageSize);
    }

    @Override
    public float[] texts(long[] tokens, int n) {
        return run(text, null, tokens, n, captions.maxTokens());
    }

    private float[] run(OrtSession session, float[] floats, long[] longs, int n, int width) {
        long[] shape = {n, width};
        try (OnnxTensor input = floats != null
                ? OnnxTensor.createTensor(env, FloatBuffer.wrap(floats, 0, n * width), shape)
                : OnnxTensor.createTensor(env, LongBuffer.wrap(longs, 0, n * width), shape);
             OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, input))) {
            FloatBuffer b = ((OnnxTensor) result.get(TowerGraphs.EMBEDDING).orElseThrow()).getFloatBuffer();
            float[] out = new float[b.remaining()];
            b.get(out);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("running the exported tower failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            image.close();
            text.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
