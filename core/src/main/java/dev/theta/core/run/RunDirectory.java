package dev.theta.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.theta.core.ExitCode;
import dev.theta.core.UserError;
import dev.theta.core.model.Preprocessing;
import dev.theta.core.metrics.MetricsLines;
import dev.theta.core.training.EpochMetrics;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import java.io.IOException;
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
 * plots and {@code report.html}. theta writes only into a directory that is empty or that it created itself
 * ({@link RunManifest}), and only while it holds the directory's lock ({@link RunLock}). An existing run is
 * replaced only when overwriting was asked for, and then only the files theta wrote are deleted. Nothing is created
 * before the run has been set up, so a failed start leaves no trace. A run without a directory ({@link #inMemory})
 * keeps what it would write (checkpoints among it) in memory instead.
 */
public final class RunDirectory implements AutoCloseable {
    public static final String METRICS_JSONL = "metrics.jsonl";
    public static final String METRICS_CSV = "metrics.csv";
    private static final String CSV_HEADER = "epoch,split,loss,accuracy,macro_f1,roc_auc,examples,seconds,examples_per_second";
    private static final int NAMES_SHOWN = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path path;
    private final boolean overwrite;
    /** What a run without a directory wrote, by name; null for a directory on disk. */
    private final Map<String, byte[]> memory;
    private RunManifest manifest;
    private RunLock lock;

    public RunDirectory(Path path, boolean overwrite) {
        this(path, overwrite, null);
    }

    private RunDirectory(Path path, boolean overwrite, Map<String, byte[]> memory) {
        this.path = path;
        this.overwrite = overwrite;
        this.memory = memory;
    }

    /** A run that writes no files: checkpoints and the like stay in memory, metrics and events are not kept. */
    public static RunDirectory inMemory() {
        return new RunDirectory(null, false, new java.util.concurrent.ConcurrentHashMap<>());
    }

    public boolean isInMemory() {
        return memory != null;
    }

    /** The directory; null for a run {@link #inMemory}. */
    public Path path() {
        return path;
    }

    /** {@code name} in this run, for messages: its path, or that it is held in memory. */
    public String describe(String name) {
        return memory != null ? name + " (in memory)" : path.resolve(name).toString();
    }

    @Override
    public String toString() {
        return memory != null ? "(no run directory)" : path.toString();
    }

    /**
     * Fails (config error) unless a new run may be written here: the directory is absent or empty, or it is a theta
     * run directory and overwriting was asked for. A directory theta did not create is refused with what it holds.
     */
    public void checkUsable() {
        if (memory != null) {
            return;
        }
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new UserError(ExitCode.CONFIG, "run directory " + path + " exists and is not a directory; choose another with --out DIR");
        }
        List<String> entries = entries(path);
        if (entries.isEmpty()) {
            return;
        }
        if (!RunManifest.marks(path)) {
            throw new UserError(ExitCode.CONFIG, "refusing to write into " + path + ": it is not a theta run directory (it holds "
                    + describe(entries) + "); theta replaces only directories it created. Choose another with --out DIR");
        }
        if (!overwrite) {
            throw new UserError(ExitCode.CONFIG, "run directory " + path + " already exists; choose another with --out DIR,"
                    + " rename the run (name: ... or --set name=...), or pass --overwrite to replace it");
        }
    }

    /**
     * Creates the directory (or, when overwriting a run, deletes what theta wrote in it), marks it as a theta run and
     * takes its lock, held until {@link #close}; after {@link #checkUsable}.
     */
    public void createEmpty() {
        if (memory != null) {
            return;
        }
        checkUsable();
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UserError(ExitCode.CONFIG, "cannot create directory " + path + ": " + e.getMessage(), e);
        }
        lock = RunLock.acquire(path);
        try {
            // Checked again under the lock: another writer may have started since the first check.
            checkUsable();
            manifest = RunManifest.of(path);
            if (overwrite) {
                manifest.clear();
            } else {
                manifest.save();
            }
        } catch (IOException e) {
            close();
            throw new UserError(ExitCode.CONFIG, "cannot prepare run directory " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Takes the lock of an existing run directory to write into it again (resume, export), until {@link #close}. */
    public void reopen() {
        if (memory != null) {
            return;
        }
        lock = RunLock.acquire(path);
        try {
            manifest = RunManifest.of(path);
            manifest.save();
        } catch (IOException e) {
            close();
            throw new UserError(ExitCode.CONFIG, "cannot reopen run directory " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the directory as {@link #createEmpty} does and writes the data spec, then the resolved config: a run
     * with a config always has the spec, which says where its relative data paths point.
     */
    public void create(Map<String, Object> resolvedConfig, dev.theta.api.spi.DataSpec spec, Preprocessing preprocessing,
                       Path dataDirectory) {
        createEmpty();
        try {
            writeAtomically(SpecFile.NAME, SpecFile.write(spec, preprocessing, dataDirectory));
            writeAtomically("config.yaml", YAML.writeValueAsBytes(resolvedConfig));
        } catch (IOException e) {
            throw new UserError(ExitCode.CONFIG, "cannot write run directory " + path + ": " + e.getMessage(), e);
        }
    }

    /** Records {@code name} (relative to the directory; the last segment may be a glob) as written by theta. */
    public void record(String name) throws IOException {
        if (memory != null) {
            return;
        }
        if (manifest == null) {
            manifest = RunManifest.of(path);
        }
        manifest.record(name);
    }

    /** Releases the directory's lock (a no-op when it holds none). */
    @Override
    public void close() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
    }

    /** Appends the metrics of one epoch and split to {@code metrics.jsonl} and {@code metrics.csv}. */
    public void appendMetrics(EpochMetrics m) {
        if (memory != null) {
            return;
        }
        try {
            record(METRICS_JSONL);
            record(METRICS_CSV);
            boolean newCsv = !Files.exists(path.resolve(METRICS_CSV));
            Files.write(path.resolve(METRICS_JSONL), jsonLine(m), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.write(path.resolve(METRICS_CSV), ((newCsv ? CSV_HEADER + "\n" : "") + csvLine(m)).getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw writeFailed(METRICS_JSONL, e);
        }
    }

    /**
     * A log that cannot be written (a full disk, most often) ends the run with one line: what failed and how to go
     * on, since the checkpoints written before are intact.
     */
    public UserError writeFailed(String name, IOException e) {
        String reason = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return new UserError(ExitCode.CONFIG, "cannot write " + path.resolve(name) + ": " + reason + "; the run keeps its last"
                + " checkpoint: make room, then continue with theta train --resume " + path, e);
    }

    /** The metrics lines the run directory {@code dir} holds so far (none when it has no metrics file). */
    public static List<EpochMetrics> history(Path dir) throws IOException {
        Path file = dir.resolve(METRICS_JSONL);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<EpochMetrics> history = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            history.add(MetricsLines.fromLine(JSON.readTree(line)));
        }
        return history;
    }

    /** Replaces both metrics files with {@code history}: a resumed run drops lines written after its checkpoint. */
    public void rewriteMetrics(List<EpochMetrics> history) throws IOException {
        if (memory != null) {
            return;
        }
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

    /** Writes {@code parameters} (keyed by graph input name, {@code param/NAME}) as parameters.npz, keyed by NAME. */
    public void writeParameters(Map<String, dev.theta.api.tensor.Tensor> parameters) {
        Map<String, dev.theta.api.tensor.Tensor> params = new java.util.LinkedHashMap<>();
        parameters.forEach((input, value) -> params.put(input.substring("param/".length()), value));
        try {
            writeAtomically("parameters.npz", Npz.write(params));
        } catch (IOException e) {
            throw new UserError(ExitCode.INTERNAL, "cannot write parameters to " + this + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code bytes} to a temporary file, forces it to disk, then renames it over {@code name}. */
    public void writeAtomically(String name, byte[] bytes) throws IOException {
        if (memory != null) {
            memory.put(name, bytes.clone());
            return;
        }
        record(name);
        if (name.indexOf('/') > 0) {
            Files.createDirectories(path.resolve(name).getParent());
        }
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

    /** Appends {@code bytes} to {@code name} (a log); a run in memory keeps no logs. */
    public void append(String name, byte[] bytes) throws IOException {
        if (memory != null) {
            return;
        }
        record(name);
        Files.write(path.resolve(name), bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The content of {@code name}, when this run has it. */
    public java.util.Optional<byte[]> read(String name) throws IOException {
        if (memory != null) {
            byte[] b = memory.get(name);
            return b == null ? java.util.Optional.empty() : java.util.Optional.of(b.clone());
        }
        Path file = path.resolve(name);
        return Files.isRegularFile(file) ? java.util.Optional.of(Files.readAllBytes(file)) : java.util.Optional.empty();
    }

    /** The names ({@code folder/file}) of the files directly in {@code folder}, sorted. */
    public List<String> list(String folder) {
        if (memory != null) {
            return memory.keySet().stream().filter(n -> n.startsWith(folder + "/") && n.indexOf('/', folder.length() + 1) < 0)
                    .sorted().toList();
        }
        Path dir = path.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> folder + "/" + p.getFileName()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Deletes {@code name}, a file this run wrote. */
    public void delete(String name) throws IOException {
        if (memory != null) {
            memory.remove(name);
        } else {
            Files.deleteIfExists(path.resolve(name));
        }
    }

    /** Makes the rename itself durable; some file systems cannot open a directory, which only weakens that. */
    private static void forceDirectory(Path dir) {
        try (var ch = java.nio.channels.FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Durability against power loss only; the rename is atomic either way.
        }
    }

    /** The names in {@code dir} (folders with a trailing '/'), less the lock and half-written mark a crashed start may leave. */
    private static List<String> entries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().equals(RunLock.FILE)
                            && !p.getFileName().toString().equals(RunManifest.FILE + ".tmp"))
                    .map(p -> p.getFileName() + (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "/" : ""))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of("(unreadable: " + e.getMessage() + ")");
        }
    }

    private static String describe(List<String> entries) {
        String shown = String.join(", ", entries.subList(0, Math.min(NAMES_SHOWN, entries.size())));
        return entries.size() <= NAMES_SHOWN ? shown : shown + " and " + (entries.size() - NAMES_SHOWN) + " more";
    }
}
