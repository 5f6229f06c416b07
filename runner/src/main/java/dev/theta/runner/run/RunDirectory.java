package dev.theta.runner.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.theta.runner.ExitCode;
import dev.theta.runner.UserError;
import dev.theta.runner.model.Preprocessing;
import dev.theta.runner.metrics.MetricsLines;
import dev.theta.runner.training.EpochMetrics;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The directory of one run: {@code config.yaml} (the resolved config), {@code metrics.jsonl} and {@code metrics.csv}
 * (one line per epoch and split), {@code events.jsonl}, {@code checkpoints/}, {@code parameters.npz}, the model,
 * plots and {@code report.html}. An existing non-empty directory is refused unless overwriting was asked for,
 * and nothing is created before the run has been set up, so a failed start leaves no trace.
 */
public final class RunDirectory {
    public static final String METRICS_JSONL = "metrics.jsonl";
    public static final String METRICS_CSV = "metrics.csv";
    private static final String CSV_HEADER = "epoch,split,loss,accuracy,macro_f1,roc_auc,examples,seconds,examples_per_second";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path path;
    private final boolean overwrite;

    public RunDirectory(Path path, boolean overwrite) {
        this.path = path;
        this.overwrite = overwrite;
    }

    public Path path() {
        return path;
    }

    /** Fails (config error) if the directory exists with content and overwriting was not asked for. */
    public void checkUsable() {
        if (!overwrite && isNonEmptyDirectory(path)) {
            throw new UserError(ExitCode.CONFIG, "run directory " + path + " already exists; choose another with --out DIR,"
                    + " rename the run (name: ... or --set name=...), or pass --overwrite to replace it");
        }
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new UserError(ExitCode.CONFIG, "run directory " + path + " exists and is not a directory");
        }
    }

    /** Creates (or, when overwriting, empties) the directory, after {@link #checkUsable}. */
    public void createEmpty() {
        checkUsable();
        try {
            if (overwrite && Files.isDirectory(path)) {
                deleteContents(path);
            }
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UserError(ExitCode.CONFIG, "cannot create directory " + path + ": " + e.getMessage(), e);
        }
    }

    /** Creates (or, when overwriting, empties) the directory and writes the resolved config and the data spec. */
    public void create(Map<String, Object> resolvedConfig, dev.theta.api.spi.DataSpec spec, Preprocessing preprocessing) {
        checkUsable();
        try {
            if (overwrite && Files.isDirectory(path)) {
                deleteContents(path);
            }
            Files.createDirectories(path);
            writeAtomically("config.yaml", YAML.writeValueAsBytes(resolvedConfig));
            writeAtomically(SpecFile.NAME, SpecFile.write(spec, preprocessing));
        } catch (IOException e) {
            throw new UserError(ExitCode.CONFIG, "cannot write run directory " + path + ": " + e.getMessage(), e);
        }
    }

    /** Appends the metrics of one epoch and split to {@code metrics.jsonl} and {@code metrics.csv}. */
    public void appendMetrics(EpochMetrics m) {
        try {
            boolean newCsv = !Files.exists(path.resolve(METRICS_CSV));
            Files.write(path.resolve(METRICS_JSONL), jsonLine(m), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.write(path.resolve(METRICS_CSV), ((newCsv ? CSV_HEADER + "\n" : "") + csvLine(m)).getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces both metrics files with {@code history}: a resumed run drops lines written after its checkpoint. */
    public void rewriteMetrics(List<EpochMetrics> history) throws IOException {
        ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (EpochMetrics m : history) {
            jsonl.write(jsonLine(m));
            csv.append(csvLine(m));
        }
        writeAtomically(METRICS_JSONL, jsonl.toByteArray());
        writeAtomically(METRICS_CSV, csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] jsonLine(EpochMetrics m) throws IOException {
        return (JSON.writeValueAsString(MetricsLines.toLine(m)) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String csvLine(EpochMetrics m) {
        return String.join(",", Integer.toString(m.epoch()), m.split(), csvNumber(m.loss()), csvNumber(m.accuracy()),
                csvNumber(m.get("macro_f1")), csvNumber(m.get("roc_auc")), Long.toString(m.examples()),
                csvNumber(m.seconds()), csvNumber(m.examplesPerSecond())) + "\n";
    }

    private static String csvNumber(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    /** Writes {@code bytes} to a temporary file, forces it to disk, then renames it over {@code name}. */
    public void writeAtomically(String name, byte[] bytes) throws IOException {
        Path tmp = path.resolve(name + ".tmp");
        try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Path target = path.resolve(name);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(target.getParent());
    }

    /** Makes the rename itself durable; some file systems cannot open a directory, which only weakens that. */
    private static void forceDirectory(Path dir) {
        try (var ch = java.nio.channels.FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Durability against power loss only; the rename is atomic either way.
        }
    }

    private static boolean isNonEmptyDirectory(Path p) {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return true;
        }
    }

    private static void deleteContents(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }
}
