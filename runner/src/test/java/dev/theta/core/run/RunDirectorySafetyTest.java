package dev.theta.core.run;

import dev.theta.core.ExitCode;
import dev.theta.runner.testing.Runs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * theta replaces only what it wrote: a directory it did not create is left byte for byte as it was, whatever is
 * asked, and a run directory loses only theta's own files when overwritten. One writer at a time holds a run
 * directory.
 */
class RunDirectorySafetyTest {
    @TempDir
    Path dir;

    @Test
    void aFolderThetaDidNotCreateIsRefusedAndLeftAsItWas() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\n");
        Path user = dir.resolve("user");
        Files.createDirectories(user.resolve("chapters"));
        Files.writeString(user.resolve("thesis.txt"), "years of work");
        Files.writeString(user.resolve("chapters/one.tex"), "\\chapter{One}");
        Files.writeString(user.resolve("config.yaml"), "a file with a name theta also writes");
        Map<String, String> before = snapshot(user);
        for (Path c : List.of(config, sweepConfig())) {
            String command = c == config ? "train" : "sweep";
            Runs.Result r = Runs.theta(command, c.toString(), "--out", user.toString(), "--overwrite");
            assertEquals(ExitCode.CONFIG.code(), r.code(), r.err());
            assertTrue(r.err().contains("not a theta run directory") && r.err().contains(user.toString())
                    && r.err().contains("thesis.txt") && r.err().contains("chapters/"), r.err());
            assertEquals(before, snapshot(user), command + " --overwrite left the folder as it was");
        }
    }

    @Test
    void aLinkToAFolderElsewhereIsRefusedAndTheFolderLeftAsItWas() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\n");
        Path elsewhere = dir.resolve("elsewhere");
        Files.createDirectories(elsewhere.resolve("sub"));
        Files.writeString(elsewhere.resolve("sub/data.bin"), "keep");
        Path link = Files.createSymbolicLink(dir.resolve("link"), elsewhere);
        Map<String, String> before = snapshot(elsewhere);
        Runs.Result r = Runs.theta("train", config.toString(), "--out", link.toString(), "--overwrite");
        assertEquals(ExitCode.CONFIG.code(), r.code(), r.err());
        assertEquals(before, snapshot(elsewhere));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void theRepositoryRootAndHomeAreRefusedUntouched() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\n");
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        for (Path p : List.of(root, Path.of(System.getProperty("user.home")))) {
            List<String> names = names(p);
            Map<String, String> files = topLevelFiles(p);
            Runs.Result r = Runs.theta("train", config.toString(), "--out", p.toString(), "--overwrite");
            assertEquals(ExitCode.CONFIG.code(), r.code(), r.err());
            assertTrue(r.err().contains("not a theta run directory"), r.err());
            assertEquals(names, names(p), p + ": same entries");
            assertEquals(files, topLevelFiles(p), p + ": same top-level files");
        }
    }

    @Test
    void overwritingARunDeletesOnlyWhatThetaWrote() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 3}\n");
        Path out = dir.resolve("run");
        assertEquals(0, Runs.theta("train", config.toString(), "--out", out.toString()).code());
        Files.writeString(out.resolve("notes.txt"), "my notes on this run");
        Files.createDirectories(out.resolve("analysis"));
        Files.writeString(out.resolve("analysis/plot.py"), "print(1)");
        Files.writeString(out.resolve("checkpoints/README"), "mine");
        Runs.Result again = Runs.theta("train", config.toString(), "--out", out.toString(), "--overwrite", "--set", "train.epochs=1");
        assertEquals(0, again.code(), again.err());
        assertEquals("my notes on this run", Files.readString(out.resolve("notes.txt")));
        assertEquals("print(1)", Files.readString(out.resolve("analysis/plot.py")));
        assertEquals("mine", Files.readString(out.resolve("checkpoints/README")));
        assertEquals(2, Runs.metricsWithoutTimings(out).size(), "the old run's metrics are gone: " + Runs.metricsWithoutTimings(out));
        try (Stream<Path> s = Files.list(out.resolve("checkpoints"))) {
            assertEquals(List.of("README", "step-000000000.npz", "step-000000002.npz"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "only the new run's checkpoints (1 epoch of 2 steps)");
        }
    }

    @Test
    void aRunLeftHalfWrittenByACrashCanBeOverwrittenOrResumed() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\n");
        Path out = dir.resolve("run");
        assertEquals(0, Runs.theta("train", config.toString(), "--out", out.toString()).code());
        // A kill between config.yaml and the first checkpoint: nothing to continue from.
        deleteTree(out.resolve("checkpoints"));
        Runs.Result resumed = Runs.theta("train", "--resume", out.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(2, Runs.metricsWithoutTimings(out).size());

        // A disk full at start: the mark, and a config that never got its bytes.
        Path crashed = dir.resolve("crashed");
        Files.createDirectories(crashed);
        Files.write(crashed.resolve(RunManifest.FILE), new byte[0]);
        Files.write(crashed.resolve("config.yaml.tmp"), new byte[0]);
        Runs.Result r = Runs.theta("train", config.toString(), "--out", crashed.toString(), "--overwrite");
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(crashed.resolve("config.yaml.tmp")), names(crashed).toString());
        assertTrue(Files.isRegularFile(crashed.resolve("parameters.npz")));

        // A crash before the mark was written leaves at most the lock and the mark's temporary file.
        Path early = dir.resolve("early");
        Files.createDirectories(early);
        Files.write(early.resolve(RunLock.FILE), new byte[0]);
        Files.write(early.resolve(RunManifest.FILE + ".tmp"), new byte[0]);
        Runs.Result e = Runs.theta("train", config.toString(), "--out", early.toString());
        assertEquals(0, e.code(), e.err());
    }

    @Test
    void aSecondWriterIsRefusedWithTheHoldersProcessId() throws Exception {
        Path config = Runs.config(dir, 600, "train: {epochs: 2, batch-size: 16}\nbackend: {name: stall-cpu}\n");
        Path out = dir.resolve("run");
        Path marker = dir.resolve("stalled");
        Path log = dir.resolve("child.log");
        Process child = Runs.child(log, List.of("-Dtheta.test.stall-at-step=5", "-Dtheta.test.stall-marker=" + marker),
                "train", config.toString(), "--out", out.toString());
        try {
            Runs.await(marker, child, log, 120);
            Map<String, String> before = snapshot(out);
            for (String[] args : List.of(new String[] {"train", config.toString(), "--out", out.toString(), "--overwrite"},
                    new String[] {"train", "--resume", out.toString()})) {
                Runs.Result r = Runs.theta(args);
                assertEquals(ExitCode.CONFIG.code(), r.code(), r.err());
                assertTrue(r.err().contains("in use by another theta run (process " + child.pid() + ")"), r.err());
            }
            assertEquals(before, snapshot(out), "the second writer touched nothing");
            Files.delete(marker);
            assertTrue(child.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, child.exitValue(), Files.readString(log));
        } finally {
            child.destroyForcibly();
        }
        assertEquals(4, Runs.metricsWithoutTimings(out).size(), "one writer's metrics, 2 epochs x 2 splits");
        assertEquals(0, Runs.theta("train", config.toString(), "--out", out.toString(), "--overwrite",
                "--set", "backend.name=cpu").code(), "the lock went with its holder");
    }

    @Test
    void predictionsNeverReplaceAFileUnasked() throws IOException {
        Path config = Runs.config(dir, 90, "train: {epochs: 1}\n");
        Path out = dir.resolve("run");
        assertEquals(0, Runs.theta("train", config.toString(), "--out", out.toString(), "--set", "export={format: onnx}").code());
        Path csv = Files.writeString(dir.resolve("mine.csv"), "precious");
        Runs.Result r = Runs.theta("predict", out.resolve("model.onnx").toString(), config.toString(), "--out", csv.toString());
        assertEquals(ExitCode.CONFIG.code(), r.code(), r.err());
        assertTrue(r.err().contains("already exists"), r.err());
        assertEquals("precious", Files.readString(csv));
        assertEquals(0, Runs.theta("predict", out.resolve("model.onnx").toString(), config.toString(), "--out", csv.toString(),
                "--overwrite").code());
        assertTrue(Files.readString(csv).startsWith("row,label"), Files.readString(csv));
    }

    /** Random layouts of user files, folders and links, with and without theta runs among them: only theta's files go. */
    @Test
    void aFuzzOfDirectoryLayoutsNeverLosesAUserFile() throws IOException {
        Path config = Runs.config(dir, 60, "train: {epochs: 1}\n");
        Path sweep = sweepConfig();
        Random random = new Random(11);
        for (int trial = 0; trial < 24; trial++) {
            Path target = dir.resolve("t" + trial);
            boolean run = random.nextBoolean();
            if (run) {
                assertEquals(0, Runs.theta("train", config.toString(), "--out", target.toString()).code());
            } else {
                Files.createDirectories(target);
            }
            Map<String, String> users = plant(target, random);
            Map<String, String> before = snapshot(target);
            boolean sweeping = random.nextBoolean();
            Runs.Result r = Runs.theta(sweeping ? "sweep" : "train", (sweeping ? sweep : config).toString(), "--out", target.toString(),
                    "--overwrite");
            Map<String, String> after = snapshot(target);
            for (Map.Entry<String, String> e : users.entrySet()) {
                assertEquals(e.getValue(), after.get(e.getKey()), "trial " + trial + ": " + e.getKey() + " kept (" + r.err() + ")");
            }
            if (!run && !users.isEmpty()) {
                assertEquals(ExitCode.CONFIG.code(), r.code(), r.err());
                assertEquals(before, after, "trial " + trial + ": a folder theta did not create is untouched");
            }
        }
    }

    private Path sweepConfig() throws IOException {
        return Runs.config(Files.createDirectories(dir.resolve("sweep-config")), 60,
                "train: {epochs: 1}\nsweep: {metric: train.loss, grid: {optimizer.lr: [0.1, 0.01]}}\n");
    }

    /** Plants user files (some with names theta writes), folders and links in {@code dir}; returns what they hold. */
    private Map<String, String> plant(Path target, Random random) throws IOException {
        Map<String, String> planted = new TreeMap<>();
        String[] names = {"thesis.txt", "config.yaml.bak", "data", "loss.png.orig", "notes", "weights.npz", "sub/inner.txt"};
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            String name = names[random.nextInt(names.length)] + (random.nextBoolean() ? "" : "-" + i);
            Path p = target.resolve(name);
            Files.createDirectories(p.getParent());
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (random.nextInt(5) == 0) {
                Path far = Files.writeString(dir.resolve("far-" + random.nextInt(1_000_000)), "far away");
                Files.createSymbolicLink(p, far);
                planted.put(target.relativize(p).toString(), "link->" + far);
            } else {
                Files.writeString(p, "user " + name);
                planted.put(target.relativize(p).toString(), hash(Files.readAllBytes(p)));
            }
        }
        return planted;
    }

    /** Every file, folder and link below {@code root}, with a content hash (or link target). */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String key = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    m.put(key, "link->" + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    m.put(key + "/", "dir");
                } else {
                    m.put(key, hash(Files.readAllBytes(p)));
                }
            }
        }
        return m;
    }

    private static List<String> names(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p)) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }

    private static Map<String, String> topLevelFiles(Path p) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(p)) {
            for (Path f : s.filter(x -> Files.isRegularFile(x, LinkOption.NOFOLLOW_LINKS)).toList()) {
                m.put(f.getFileName().toString(), Files.size(f) + ":" + Files.getLastModifiedTime(f));
            }
        }
        return m;
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
