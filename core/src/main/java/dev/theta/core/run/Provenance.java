package dev.theta.core.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Inject;
import dev.theta.api.data.DataFiles;
import dev.theta.api.spi.DataSpec;
import dev.theta.api.spi.DatasetProvider;
import dev.theta.core.config.ConfigDocument;
import dev.theta.core.config.ResolvedConfig;
import dev.theta.core.training.EpochMetrics;
import dev.theta.core.wiring.Chosen;
import dev.theta.core.wiring.ChosenPlugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import dev.theta.core.training.TrainingResult;
import java.util.Map;

/**
 * Where a model came from, as string metadata for exported models (and {@code provenance.json} in the run
 * directory): theta's version, the resolved config, SHA-256 of every data file, final metrics, backend, class
 * names, Java.
 */
public final class Provenance {
    public static final String FILE = "provenance.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ResolvedConfig config;
    private final ChosenPlugins plugins;
    private final ConfigDocument document;
    private final DataSpec spec;

    @Inject
    public Provenance(ResolvedConfig config, ChosenPlugins plugins, ConfigDocument document, DataSpec spec) {
        this.config = config;
        this.plugins = plugins;
        this.document = document;
        this.spec = spec;
    }

    public static String thetaVersion() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** The metadata of a finished run: its metrics are those of the epoch whose model it kept. */
    public Map<String, String> metadata(TrainingResult result) {
        List<EpochMetrics> history = result.history().stream().filter(e -> e.epoch() == result.selectedEpoch()).toList();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("theta.version", thetaVersion());
        m.put("theta.config", json(config.asMap()));
        m.put("theta.data.sha256", json(dataHashes()));
        m.put("theta.metrics", json(finalMetrics(history)));
        m.put("theta.selected_epoch", Integer.toString(result.selectedEpoch()));
        m.put("theta.selected_by", result.selectedBy() == null ? "last epoch" : result.selectedBy());
        m.put("theta.backend", plugins.backend().provider().name());
        // Class names (a text model's vocabulary) let predictions be read without the training data.
        m.put("theta.classes", json(spec.classNames()));
        m.put("java.version", System.getProperty("java.version"));
        return m;
    }

    public static byte[] toJson(Map<String, String> metadata) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, String> read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), LinkedHashMap.class);
    }

    private static Map<String, Object> finalMetrics(List<EpochMetrics> history) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (EpochMetrics e : history) {
            Map<String, Object> split = new LinkedHashMap<>();
            split.put("epoch", e.epoch());
            split.put("loss", e.loss());
            split.put("accuracy", e.accuracy());
            m.put(e.split(), split);
        }
        return m;
    }

    /** Every string option of the dataset plugins that names an existing file is a data file. */
    private Map<String, String> dataHashes() {
        Map<String, String> hashes = new LinkedHashMap<>();
        Path base = document.baseDirectory();
        for (Chosen<DatasetProvider> source : new Chosen[] {plugins.trainData(), plugins.testData(), plugins.validationData()}) {
            if (source == null) {
                continue;
            }
            for (Object value : source.options().asMap().values()) {
                if (value instanceof String s && !s.isEmpty()) {
                    Path p = base.resolve(s).normalize();
                    if (Files.isRegularFile(p)) {
                        // The bytes the dataset was built from; a file never read through DataFiles is hashed now.
                        hashes.put(p.toString(), DataFiles.hashAsRead(p).orElseGet(() -> sha256(p)));
                    }
                }
            }
        }
        return hashes;
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
