package dev.theta.runner.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.theta.runner.ExitCode;
import dev.theta.runner.UserError;
import dev.theta.runner.model.Preprocessing;
import dev.theta.runner.training.EpochMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The directory of one run: {@code config.yaml} (the resolved config), {@code metrics.jsonl} (one line per epoch
 * and split) and {@code parameters.npz}. An existing non-empty directory is refused unless overwriting was asked for,
 * and nothing is created before the run has been set up, so a failed start leaves no trace.
 */
public final class RunDirectory {
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

    public void appendMetrics(EpochMetrics m) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("epoch", m.epoch());
        line.put("split", m.split());
        line.put("loss", m.loss());
        line.put("accuracy", Double.isNaN(m.accuracy()) ? null : m.accuracy());
        line.put("examples", m.examples());
        line.put("seconds", m.seconds());
        try {
            Files.write(path.resolve("metrics.jsonl"), (JSON.writeValueAsString(line) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        try {
            Files.move(tmp, path.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, path.resolve(name), StandardCopyOption.REPLACE_EXISTING);
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
