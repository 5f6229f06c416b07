package dev.theta.runner.contrastive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.theta.api.options.Options;
import dev.theta.api.registry.PluginKind;
import dev.theta.api.registry.PluginRegistry;
import dev.theta.api.spi.Backend;
import dev.theta.api.spi.BackendProvider;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.api.spi.DualEncoder;
import dev.theta.api.spi.HypothesisProvider;
import dev.theta.api.spi.Provider;
import dev.theta.api.tensor.Shape;
import dev.theta.api.tensor.Tensor;
import dev.theta.api.train.TrainingProgram;
import dev.theta.runner.datasets.ImageTextDataset;
import dev.theta.runner.run.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLIP bars on a finished {@code theta train} run of a dual encoder (docs/clip.md): zero-shot accuracy on the
 * run's test split computed on the run's backend, and again from the exported towers in ONNX Runtime. Runs only when
 * asked: {@code -Dtheta.clip.run=RUN_DIR} (and {@code -Dtheta.clip.min=0.80}, the accuracy it must reach).
 */
@EnabledIfSystemProperty(named = "theta.clip.run", matches = ".+")
class ClipRunCheckTest {
    @TempDir
    Path exported;

    @Test
    @SuppressWarnings("unchecked")
    void zeroShotAccuracyOnTheBackendAndFromTheExportedTowers() throws Exception {
        Path run = Path.of(System.getProperty("theta.clip.run"));
        double min = Double.parseDouble(System.getProperty("theta.clip.min", "0.80"));
        Map<String, Object> config = new ObjectMapper(new YAMLFactory()).readValue(run.resolve("config.yaml").toFile(), Map.class);
        PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader());

        Map<String, Object> testData = (Map<String, Object>) ((Map<String, Object>) config.get("data")).get("test");
        DatasetProvider data = plugin(registry, PluginKind.DATASET, DatasetProvider.class, testData);
        ImageTextDataset test = (ImageTextDataset) data.load(options(data, testData, "data.test"), run);
        Map<String, Object> h = (Map<String, Object>) config.get("hypothesis");
        HypothesisProvider hp = plugin(registry, PluginKind.HYPOTHESIS, HypothesisProvider.class, h);
        DualEncoder model = (DualEncoder) hp.create(options(hp, h, "hypothesis"), test.spec(), Shape.BATCH);
        Map<String, Object> b = (Map<String, Object>) config.get("backend");
        BackendProvider bp = plugin(registry, PluginKind.BACKEND, BackendProvider.class, b);
        Backend backend = bp.create(options(bp, b, "backend"));

        Map<String, Tensor> parameters = new LinkedHashMap<>();
        Npz.read(run.resolve("parameters.npz")).forEach((name, t) -> parameters.put(TrainingProgram.parameter(name), t));
        ContrastiveMetrics theta = ContrastiveEvaluation.evaluate(backend, model, parameters, test);
        TowerExport.write(exported, model, parameters, test.captions(), ContrastiveEvaluation.prompts(), Map.of());
        ContrastiveMetrics onnx;
        try (OnnxTowers towers = OnnxTowers.open(exported)) {
            onnx = ContrastiveEvaluation.evaluate(towers, test, towers.captions(), towers.prompts());
        }
        System.out.printf(Locale.ROOT, "%s on %s: %s%nexported towers in ONNX Runtime: %s%n", run, bp.name(), theta.asMap(), onnx.asMap());
        assertTrue(theta.zeroShotAccuracy() >= min, "zero-shot accuracy " + theta.zeroShotAccuracy() + " < " + min);
        assertEquals(theta.zeroShotAccuracy(), onnx.zeroShotAccuracy(), 0.001, "ONNX Runtime against " + bp.name());
    }

    private static <P extends Provider> P plugin(PluginRegistry registry, PluginKind kind, Class<P> type, Map<String, Object> section) {
        return registry.get(kind, type, (String) section.get("name"));
    }

    private static Options options(Provider p, Map<String, Object> section, String prefix) {
        Map<String, Object> raw = new LinkedHashMap<>(section);
        raw.remove("name");
        return p.options().validate(raw, prefix, List.of());
    }
}
