package dev.theta.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.theta.api.tensor.Tensor;
import dev.theta.core.metrics.MetricsLines;
import dev.theta.core.training.EpochMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The {@code checkpoints/} folder of a run: {@code step-NNNNNNNNN.npz} files, each a NumPy archive of the carried
 * tensors plus a {@code state.json} entry. A checkpoint is written to a temporary file, forced to disk and renamed,
 * so a kill at any moment leaves either the previous set or the new one; zip CRCs catch a damaged file on load.
 */
public final class CheckpointStore {
    public static final String FOLDER = "checkpoints";
    private static final String STATE = "state.json";
    public static final String BEST = "best.npz";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

    private final RunDirectory runDirectory;

    public CheckpointStore(RunDirectory runDirectory) {
        this.runDirectory = runDirectory;
    }

    /**
     * Writes {@code c}, then deletes all but the newest {@code keep} checkpoints; returns the name written
     * ({@code checkpoints/step-NNNNNNNNN.npz}, relative to the run directory).
     */
    public String write(Checkpoint c, int keep) throws IOException {
        runDirectory.record(FOLDER + "/step-*.npz");
        String name = String.format("%s/step-%09d.npz", FOLDER, c.step());
        runDirectory.writeAtomically(name, encode(c));
        List<String> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            runDirectory.delete(all.get(i));
        }
        return name;
    }

    /**
     * Writes {@code c} as {@code checkpoints/best.npz}, the model a run selected so far: kept apart from the
     * rolling checkpoints, which never delete it.
     */
    public void writeBest(Checkpoint c) throws IOException {
        runDirectory.writeAtomically(FOLDER + "/" + BEST, encode(c));
    }

    /** The best checkpoint, when there is one and it loads. */
    public Optional<Checkpoint> best() {
        String name = FOLDER + "/" + BEST;
        try {
            Optional<byte[]> bytes = runDirectory.read(name);
            return bytes.isEmpty() ? Optional.empty() : Optional.of(decode(bytes.get(), runDirectory.describe(name)));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read the best checkpoint {}: {}", runDirectory.describe(name), e.toString());
            return Optional.empty();
        }
    }

    /** The newest checkpoint that loads; an unreadable one is skipped with a warning. */
    public Optional<Checkpoint> latest() {
        List<String> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                return Optional.of(decode(runDirectory.read(all.get(i)).orElseThrow(), runDirectory.describe(all.get(i))));
            } catch (IOException | RuntimeException e) {
                LOG.warn("skipping unreadable checkpoint {}: {}", runDirectory.describe(all.get(i)), e.toString());
            }
        }
        return Optional.empty();
    }

    /** The names of the rolling checkpoints ({@code checkpoints/step-...}), oldest first. */
    public List<String> list() {
        return runDirectory.list(FOLDER).stream().filter(n -> n.matches(FOLDER + "/step-\\d+\\.npz")).sorted().toList();
    }

    static byte[] encode(Checkpoint c) throws IOException {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epoch", c.epoch());
        state.put("step_in_epoch", c.stepInEpoch());
        state.put("step", c.step());
        Map<String, Object> partial = new LinkedHashMap<>();
        partial.put("loss_sum", c.partial().lossSum());
        partial.put("weight_sum", c.partial().weightSum());
        partial.put("correct", c.partial().correct());
        partial.put("examples", c.partial().examples());
        partial.put("seconds", c.partial().seconds());
        state.put("partial_epoch", partial);
        state.put("rng", Map.of("shuffle_seed", c.shuffleSeed(), "shuffles", c.shuffles()));
        state.put("stopped", c.stopped());
        state.put("data_directory", c.dataDirectory());
        state.put("history", c.history().stream().map(MetricsLines::toLine).toList());
        state.put("tensors", new ArrayList<>(c.carried().keySet()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(Npz.entry(STATE));
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
            zip.closeEntry();
            for (Map.Entry<String, Tensor> e : c.carried().entrySet()) {
                zip.putNextEntry(Npz.entry(e.getKey() + ".npy"));
                zip.write(Npz.npy(e.getValue()));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Reads and checks a checkpoint file: every tensor its state names must be there. */
    public static Checkpoint read(Path file) throws IOException {
        return decode(Files.readAllBytes(file), file.toString());
    }

    /** Decodes and checks a checkpoint's bytes ({@code file} names them in errors). */
    static Checkpoint decode(byte[] bytes, String file) throws IOException {
        JsonNode state = null;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                byte[] content = zip.readAllBytes();
                if (e.getName().equals(STATE)) {
                    state = JSON.readTree(new String(content, StandardCharsets.UTF_8));
                } else {
                    tensors.put(e.getName().replaceFirst("\\.npy$", ""), Npz.npyRead(content, file + "!" + e.getName()));
                }
            }
        }
        if (state == null) {
            throw new IOException(file + ": no " + STATE + " in the checkpoint");
        }
        Map<String, Tensor> carried = new LinkedHashMap<>();
        for (JsonNode name : state.get("tensors")) {
            Tensor t = tensors.get(name.asText());
            if (t == null) {
                throw new IOException(file + ": tensor " + name.asText() + " is missing");
            }
            carried.put(name.asText(), t);
        }
        List<EpochMetrics> history = new ArrayList<>();
        state.get("history").forEach(line -> history.add(MetricsLines.fromLine(line)));
        JsonNode p = state.get("partial_epoch");
        JsonNode rng = state.get("rng");
        return new Checkpoint(state.get("epoch").asInt(), state.get("step_in_epoch").asInt(), state.get("step").asLong(),
                new Checkpoint.PartialEpoch(p.get("loss_sum").asDouble(), p.get("weight_sum").asDouble(), p.get("correct").asLong(),
                        p.get("examples").asLong(), p.get("seconds").asDouble()),
                rng.get("shuffle_seed").asLong(), rng.get("shuffles").asInt(), state.get("stopped").asBoolean(),
                state.get("data_directory").asText(), List.copyOf(history), carried);
    }
}
