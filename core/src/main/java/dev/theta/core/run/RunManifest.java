package dev.theta.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code .theta-run}: the mark of a directory theta created, listing every name theta wrote in it. Replacing a run
 * ({@code --overwrite}) deletes exactly those names (and runs nested in it, such as a sweep's), so a file a user
 * put there, or a directory theta did not create, is never touched. A name is recorded before its file is written,
 * so a crash in between leaves nothing unlisted. The last segment of a name may be a glob
 * ({@code checkpoints/step-*.npz}) for files that come and go.
 */
final class RunManifest {
    static final String FILE = ".theta-run";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Set<String> written = new TreeSet<>();

    private RunManifest(Path dir) {
        this.dir = dir;
    }

    /** Whether {@code dir} is a directory theta created (it holds the mark, not through a link). */
    static boolean marks(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE), LinkOption.NOFOLLOW_LINKS);
    }

    /** The manifest of {@code dir}: what it lists when it has one, else an empty one (not yet written). */
    static RunManifest of(Path dir) throws IOException {
        RunManifest m = new RunManifest(dir);
        if (marks(dir)) {
            byte[] bytes = Files.readAllBytes(dir.resolve(FILE));
            // A crash while the mark was first written can leave it empty: the directory is still theta's.
            if (bytes.length > 0) {
                JsonNode names = JSON.readTree(bytes).path("written");
                names.forEach(n -> m.written.add(n.asText()));
            }
        }
        return m;
    }

    /** Records {@code name} (relative, '/'-separated) as written by theta; saves the manifest when it is new. */
    synchronized void record(String name) throws IOException {
        if (!covered(name) && written.add(name)) {
            save();
        }
    }

    private boolean covered(String name) {
        for (String w : written) {
            if (w.indexOf('*') >= 0 && FileSystems.getDefault().getPathMatcher("glob:" + w).matches(Path.of(name))) {
                return true;
            }
        }
        return false;
    }

    /** Writes the mark (atomically: a temporary file renamed over it). */
    synchronized void save() throws IOException {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("created_by", "theta");
        content.put("written", written);
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content));
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Deletes what theta wrote in this directory: every listed name and its temporary file, then each run directory
     * nested in it, whole. Links are never followed or removed; the directory's own mark stays.
     */
    void clear() throws IOException {
        for (String name : written) {
            int slash = name.lastIndexOf('/');
            Path parent = slash < 0 ? dir : dir.resolve(name.substring(0, slash));
            String last = name.substring(slash + 1);
            deleteMatching(parent, last);
            deleteMatching(parent, last + ".tmp");
            if (slash >= 0 && isEmptyDirectory(parent)) {
                Files.delete(parent);
            }
        }
        written.clear();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && marks(p)) {
                    RunManifest nested = of(p);
                    nested.clear();
                    Files.deleteIfExists(p.resolve(RunLock.FILE));
                    Files.delete(p.resolve(FILE));
                    if (isEmptyDirectory(p)) {
                        Files.delete(p);
                    }
                }
            }
        }
        save();
    }

    private static void deleteMatching(Path parent, String glob) throws IOException {
        if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path p : entries) {
                if (matcher.matches(p.getFileName()) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(p);
                }
            }
        }
    }

    static boolean isEmptyDirectory(Path p) throws IOException {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
            return !entries.iterator().hasNext();
        }
    }
}
