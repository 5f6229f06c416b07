package dev.theta.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.tensor.DType;
import dev.theta.api.tensor.Shape;
import dev.theta.core.datasets.Standardization;
import dev.theta.core.model.Preprocessing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code data-spec.json} in a run directory: the shape of the data the model was trained on and the standardisation
 * applied to it, so that a finished run can be exported again without reading its training data.
 */
public final class SpecFile {
    public static final String NAME = "data-spec.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SpecFile() {
    }

    /**
     * The spec and preprocessing read back from a run directory, and the directory its config's relative data paths
     * were resolved against (null in files written before it was recorded).
     */
    public record Stored(DataSpec spec, Preprocessing preprocessing, Path dataDirectory) {
    }

    public static byte[] write(DataSpec spec, Preprocessing preprocessing, Path dataDirectory) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataDirectory", dataDirectory.toString());
        m.put("featureShape", spec.featureShape().dims());
        m.put("featureType", spec.featureType().name());
        m.put("classes", spec.classes());
        m.put("classNames", spec.classNames());
        m.put("targetShape", spec.targetShape().dims());
        if (preprocessing.standardization() != null) {
            Map<String, Object> std = new LinkedHashMap<>();
            std.put("mean", preprocessing.standardization().mean());
            std.put("std", preprocessing.standardization().std());
            m.put("standardization", std);
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
    }

    public static Stored read(Path file) throws IOException {
        JsonNode n = JSON.readTree(file.toFile());
        List<String> names = new ArrayList<>();
        n.get("classNames").forEach(c -> names.add(c.asText()));
        DataSpec spec = new DataSpec(shape(n.get("featureShape")), DType.valueOf(n.get("featureType").asText()),
                n.get("classes").asInt(), List.copyOf(names), shape(n.get("targetShape")));
        JsonNode std = n.get("standardization");
        Preprocessing pre = std == null ? Preprocessing.NONE
                : new Preprocessing(Standardization.of(floats(std.get("mean")), floats(std.get("std"))));
        JsonNode dataDirectory = n.get("dataDirectory");
        return new Stored(spec, pre, dataDirectory == null ? null : Path.of(dataDirectory.asText()));
    }

    private static float[] floats(JsonNode values) {
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values.get(i).asDouble();
        }
        return f;
    }

    private static Shape shape(JsonNode dims) {
        int[] d = new int[dims.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims.get(i).asInt();
        }
        return Shape.of(d);
    }
}
